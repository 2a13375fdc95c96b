//! The rules of the order page, as pure functions shared by the server (which enforces them)
//! and the page (which may show them early): the contact, the mini program form, which of the
//! merchant's mini programs can order a service, the subscriber restriction, and validity.

use super::{field, OrderingText, DAY_MS, RENEWAL_CAP_DAYS};
use crate::auth::{BiText, FieldErrors};
use crate::domain::OrderStatus;
use crate::i18n::Bilingual;
use crate::onboarding::rules::one_line;
use crate::onboarding::IdentityType;
use crate::services::Terminal;
use serde::{Deserialize, Serialize};

pub const MAX_CONTACT_NAME: usize = 30;
pub const MAX_MINI_PROGRAM_NAME: usize = 30;

/// The order page's form (订购并授权).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderInput {
    pub service_id: i64,
    pub plan_id: i64,
    pub mini_program_id: i64,
    /// [`Terminal`] codes; may stay empty when the service has only one terminal.
    pub terminals: Vec<String>,
    pub contact_name: String,
    pub contact_mobile: String,
    pub agree_to_agreement: bool,
    /// Needed when the mini program already has built versions (the high-risk warning).
    pub acknowledge_overwrite: bool,
}

fn too_long(label: (&str, &str), max: usize) -> BiText {
    BiText::new(
        format!("{} must be at most {max} characters.", label.0),
        format!("{}最多 {max} 个字符。", label.1),
    )
}

/// A required one-line name of at most `max` characters.
fn name(
    input: &str,
    max: usize,
    label: (&str, &str),
    missing: OrderingText,
) -> Result<String, BiText> {
    let text = one_line(input);
    if text.is_empty() {
        Err(missing.into())
    } else if text.chars().count() > max {
        Err(too_long(label, max))
    } else {
        Ok(text)
    }
}

pub fn check_contact_name(input: &str) -> Result<String, BiText> {
    name(
        input,
        MAX_CONTACT_NAME,
        ("Contact name", "联系人名称"),
        OrderingText::ContactNameRequired,
    )
}

pub fn check_mini_program_name(input: &str) -> Result<String, BiText> {
    name(
        input,
        MAX_MINI_PROGRAM_NAME,
        ("Mini program name", "小程序名称"),
        OrderingText::MiniProgramNameRequired,
    )
}

/// A mainland China mobile number: 11 digits, `1` then `3`-`9`; spaces and hyphens, and a
/// leading `+86` or `86`, are allowed and dropped. Kept as the 11 digits.
pub fn check_mobile(input: &str) -> Result<String, BiText> {
    let compact: String = input
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    let digits = compact
        .strip_prefix("+86")
        .or_else(|| compact.strip_prefix("86").filter(|rest| rest.len() == 11))
        .unwrap_or(&compact);
    let bytes = digits.as_bytes();
    let valid = bytes.len() == 11
        && bytes.iter().all(u8::is_ascii_digit)
        && bytes[0] == b'1'
        && (b'3'..=b'9').contains(&bytes[1]);
    if valid {
        Ok(digits.to_owned())
    } else {
        Err(OrderingText::MobileFormat.into())
    }
}

/// The terminals of an order: a non-empty subset of the service's; empty input means the
/// service's only terminal when it has just one.
pub fn check_order_terminals(
    input: &[String],
    offered: &[Terminal],
) -> Result<Vec<Terminal>, BiText> {
    let chosen: Vec<&str> = input
        .iter()
        .map(|c| c.trim())
        .filter(|c| !c.is_empty())
        .collect();
    if chosen.is_empty() {
        return match offered {
            [only] => Ok(vec![*only]),
            _ => Err(OrderingText::TerminalsRequired.into()),
        };
    }
    let mut terminals = Vec::new();
    for code in chosen {
        match Terminal::from_code(code).filter(|t| offered.contains(t)) {
            Some(terminal) => terminals.push(terminal),
            None => return Err(OrderingText::TerminalNotOffered.into()),
        }
    }
    Ok(Terminal::ALL
        .iter()
        .copied()
        .filter(|t| terminals.contains(t))
        .collect())
}

/// The checks of the order form that need nothing from the database, all at once.
pub fn check_contact_and_agreement(input: &OrderInput) -> (Option<(String, String)>, FieldErrors) {
    let mut errors = FieldErrors::new();
    let contact_name = check_contact_name(&input.contact_name)
        .map_err(|text| errors.push(field::CONTACT_NAME, text))
        .ok();
    let contact_mobile = check_mobile(&input.contact_mobile)
        .map_err(|text| errors.push(field::CONTACT_MOBILE, text))
        .ok();
    if !input.agree_to_agreement {
        errors.push(field::AGREE_TO_AGREEMENT, OrderingText::AgreementRequired);
    }
    (contact_name.zip(contact_mobile), errors)
}

// ---- the subscriber restriction ----

fn names(types: &[IdentityType]) -> (String, String) {
    let en: Vec<&str> = types.iter().map(|t| t.labels().0).collect();
    let zh: Vec<&str> = types.iter().map(|t| t.labels().1).collect();
    (en.join(" or ").to_lowercase(), zh.join("或"))
}

/// Whether a merchant of `identity` may subscribe to a service restricted to `allowed`
/// (empty = anyone), and, when not, the message that leads it to certification.
pub fn restriction_refusal(identity: IdentityType, allowed: &[IdentityType]) -> Option<BiText> {
    if allowed.is_empty() || allowed.contains(&identity) {
        return None;
    }
    let (en, zh) = names(allowed);
    let upgrade =
        identity == IdentityType::Individual && allowed.contains(&IdentityType::IndividualBusiness);
    Some(if upgrade {
        BiText::new(
            format!(
                "This service is only for {en}. As an individual, upgrade to individual business (certify with your business license), then come back to this order."
            ),
            format!("该服务仅限{zh}订购。个人可升级为个体工商户（使用营业执照认证），完成后返回订购。"),
        )
    } else {
        BiText::new(
            format!(
                "This service is only for {en}. Certify an account of that type, then come back to this order."
            ),
            format!("该服务仅限{zh}订购，请完成相应身份认证后返回订购。"),
        )
    })
}

// ---- which mini programs can order ----

/// What decides whether one mini program can order a service, read from the database.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MiniProgramFacts {
    /// A live authorization to another ISV than the service's.
    pub authorized_to_other_isv: bool,
    /// An order of another service that is not Completed or Canceled: its service's name.
    pub other_service_in_flow: Option<String>,
    /// An order of this service still before development (New, Pending Confirmation,
    /// Awaiting Payment): its status.
    pub pending_order_of_this_service: Option<OrderStatus>,
    /// The current validity of this service for this mini program ends here.
    pub valid_to: Option<i64>,
    /// A version built for this service (by one of its orders) is online.
    pub version_online: bool,
    /// The mini program has built versions (any).
    pub has_built_versions: bool,
}

/// How a mini program shows on the order page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Eligibility {
    /// Authorized to another ISV: not listed.
    Hidden,
    Disabled(BiText),
    Selectable,
}

/// The order page's rules for one mini program and the chosen period, in the order the seed
/// gives them: another service's order flow, then the maximum order period, then the 365-day
/// renewal cap once a version is online.
pub fn eligibility(
    facts: &MiniProgramFacts,
    period_days: i64,
    max_order_period_days: i64,
    now: i64,
) -> Eligibility {
    if facts.authorized_to_other_isv {
        return Eligibility::Hidden;
    }
    if let Some(service) = &facts.other_service_in_flow {
        return Eligibility::Disabled(BiText::new(
            format!("This mini program is in the order flow of another service ({service}). Finish or cancel that order first."),
            format!("该小程序正在其他服务（{service}）的订购流程中，请先完成或取消该订单。"),
        ));
    }
    if let Some(status) = facts.pending_order_of_this_service {
        return Eligibility::Disabled(BiText::new(
            format!(
                "This mini program already has an order of this service that is {}.",
                status.label_en()
            ),
            format!("该小程序已有该服务的订单（{}）。", status.label_zh()),
        ));
    }
    let remaining_ms = facts.valid_to.map_or(0, |end| (end - now).max(0));
    let after_ms = remaining_ms + period_days * DAY_MS;
    if after_ms > max_order_period_days * DAY_MS {
        return Eligibility::Disabled(BiText::new(
            format!(
                "The selected period would exceed this service's maximum order period of {max_order_period_days} days."
            ),
            format!("所选周期超过该服务的最长订购时间（{max_order_period_days} 天）。"),
        ));
    }
    if facts.version_online && after_ms > RENEWAL_CAP_DAYS * DAY_MS {
        return Eligibility::Disabled(OrderingText::RenewalCap.into());
    }
    Eligibility::Selectable
}

// ---- validity ----

/// The current validity of a chain of service periods: from the start of the newest
/// unbroken run of periods (a renewal starts where the previous period ends) to its end.
/// `None` when no period has started.
pub fn validity(periods: &[(i64, i64)]) -> Option<(i64, i64)> {
    let mut sorted = periods.to_vec();
    sorted.sort();
    let mut current: Option<(i64, i64)> = None;
    for (start, end) in sorted {
        current = match current {
            Some((from, to)) if start <= to => Some((from, to.max(end))),
            _ => Some((start, end)),
        };
    }
    current
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    const NOW: i64 = 1_767_225_600_000;

    #[test]
    fn mainland_mobile_numbers_are_kept_as_eleven_digits() {
        assert_eq!(check_mobile("138 0013 8000").unwrap(), "13800138000");
        assert_eq!(check_mobile("+86 138-0013-8000").unwrap(), "13800138000");
        assert_eq!(check_mobile("8613800138000").unwrap(), "13800138000");
        for bad in [
            "",
            "12800138000",
            "1380013800",
            "138001380001",
            "1380013800a",
            "+1 415 555 0100",
        ] {
            assert!(check_mobile(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn contact_and_agreement_are_checked_together() {
        let (contact, errors) = check_contact_and_agreement(&OrderInput::default());
        assert_eq!(contact, None);
        assert_eq!(
            errors.fields(),
            [
                field::CONTACT_NAME,
                field::CONTACT_MOBILE,
                field::AGREE_TO_AGREEMENT
            ]
        );
        let input = OrderInput {
            contact_name: "  Wang   Fang ".into(),
            contact_mobile: "13900139000".into(),
            agree_to_agreement: true,
            ..OrderInput::default()
        };
        let (contact, errors) = check_contact_and_agreement(&input);
        assert!(errors.is_empty());
        assert_eq!(contact, Some(("Wang Fang".into(), "13900139000".into())));
        assert!(check_contact_name(&"名".repeat(31)).is_err());
    }

    #[test]
    fn terminals_are_a_non_empty_subset_and_a_single_one_is_chosen_for_the_merchant() {
        let offered = [Terminal::Alipay, Terminal::Amap];
        assert_eq!(
            check_order_terminals(&["amap".into(), "alipay".into()], &offered).unwrap(),
            offered
        );
        assert!(check_order_terminals(&[], &offered).is_err());
        assert!(check_order_terminals(&["taobao".into()], &offered).is_err());
        assert!(check_order_terminals(&["nonsense".into()], &offered).is_err());
        assert_eq!(
            check_order_terminals(&[], &[Terminal::Alipay]).unwrap(),
            [Terminal::Alipay]
        );
    }

    #[test]
    fn a_restricted_service_refuses_other_identities_and_offers_individuals_the_upgrade() {
        use IdentityType::*;
        assert_eq!(restriction_refusal(Individual, &[]), None);
        assert_eq!(restriction_refusal(Enterprise, &[Enterprise]), None);
        let refusal = restriction_refusal(Individual, &[Enterprise, IndividualBusiness]).unwrap();
        assert!(
            refusal
                .get(Lang::En)
                .contains("upgrade to individual business"),
            "{refusal:?}"
        );
        assert!(refusal
            .get(Lang::En)
            .starts_with("This service is only for enterprise or individual business."));
        assert!(refusal.get(Lang::Zh).contains("企业或个体工商户"));
        let refusal = restriction_refusal(IndividualBusiness, &[Enterprise]).unwrap();
        assert!(!refusal.get(Lang::En).contains("upgrade"));
    }

    fn facts() -> MiniProgramFacts {
        MiniProgramFacts::default()
    }

    #[test]
    fn a_mini_program_authorized_to_another_isv_is_hidden_whatever_else_holds() {
        let facts = MiniProgramFacts {
            authorized_to_other_isv: true,
            other_service_in_flow: Some("Other".into()),
            ..facts()
        };
        assert_eq!(eligibility(&facts, 30, 365, NOW), Eligibility::Hidden);
    }

    #[test]
    fn another_services_open_order_or_a_pending_order_of_this_one_disables() {
        let other = MiniProgramFacts {
            other_service_in_flow: Some("Membership".into()),
            ..facts()
        };
        let Eligibility::Disabled(reason) = eligibility(&other, 30, 365, NOW) else {
            panic!("not disabled");
        };
        assert!(reason
            .en
            .contains("order flow of another service (Membership)"));
        let pending = MiniProgramFacts {
            pending_order_of_this_service: Some(OrderStatus::AwaitingPayment),
            ..facts()
        };
        assert!(
            matches!(eligibility(&pending, 30, 365, NOW), Eligibility::Disabled(r) if r.en.contains("Awaiting Payment"))
        );
    }

    #[test]
    fn the_selected_period_may_not_exceed_the_maximum_order_period_with_what_remains() {
        let running = MiniProgramFacts {
            valid_to: Some(NOW + 300 * DAY_MS),
            ..facts()
        };
        assert_eq!(eligibility(&running, 65, 365, NOW), Eligibility::Selectable);
        assert!(
            matches!(eligibility(&running, 66, 365, NOW), Eligibility::Disabled(r) if r.en.contains("maximum order period of 365 days"))
        );
        // An expired validity leaves nothing to add.
        let expired = MiniProgramFacts {
            valid_to: Some(NOW - DAY_MS),
            ..facts()
        };
        assert_eq!(
            eligibility(&expired, 365, 365, NOW),
            Eligibility::Selectable
        );
    }

    #[test]
    fn once_a_version_is_online_a_renewal_may_leave_at_most_365_days() {
        let before_online = MiniProgramFacts {
            valid_to: Some(NOW + 200 * DAY_MS),
            ..facts()
        };
        assert_eq!(
            eligibility(&before_online, 365, 1000, NOW),
            Eligibility::Selectable
        );
        let online = MiniProgramFacts {
            version_online: true,
            ..before_online
        };
        assert_eq!(
            eligibility(&online, 365, 1000, NOW),
            Eligibility::Disabled(OrderingText::RenewalCap.into())
        );
        assert_eq!(
            eligibility(&online, 165, 1000, NOW),
            Eligibility::Selectable
        );
    }

    #[test]
    fn validity_runs_from_the_newest_unbroken_chain_of_periods() {
        assert_eq!(validity(&[]), None);
        assert_eq!(validity(&[(10, 20), (20, 30)]), Some((10, 30)));
        assert_eq!(validity(&[(40, 50), (10, 20)]), Some((40, 50)));
        assert_eq!(validity(&[(10, 30), (15, 25)]), Some((10, 30)));
    }
}
