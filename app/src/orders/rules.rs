//! The Orders pages' input rules, shared with the browser: the list's filter, search and page
//! as they come from the URL, the reason of a Reject or Cancel, the submitted version's number
//! and notes, and the buttons an order shows for the actions the transition table allows.

use super::{field, ActionButton, ActionForm, OrdersText};
use crate::auth::{BiText, FieldErrors};
use crate::domain::{Action, OrderNo, OrderStatus};
use crate::ordering::cashier_path;

/// The longest reason (Reject, Cancel, audit rejection) and the longest version notes.
pub const MAX_REASON_CHARS: usize = 500;
/// The longest version number ("1.0.2"): what Alipay's version field takes.
pub const MAX_VERSION_CHARS: usize = 32;

/// Where a page of a list starts: after the row with this creation time and id (the lists
/// are ordered newest first, by `created_at` then `id`). Written in the URL as `created-id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cursor {
    pub created_at: i64,
    pub id: i64,
}

impl Cursor {
    pub fn parse(text: &str) -> Option<Cursor> {
        let (created_at, id) = text.trim().split_once('-')?;
        let created_at = created_at.parse().ok().filter(|at: &i64| *at >= 0)?;
        let id = id.parse().ok().filter(|id: &i64| *id > 0)?;
        Some(Cursor { created_at, id })
    }

    pub fn text(self) -> String {
        format!("{}-{}", self.created_at, self.id)
    }
}

/// The order numbers a search matches: every order number has 24 digits, so the first digits
/// name the range from them padded with 0s to them padded with 9s (all 24: one number).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchRange {
    pub low: String,
    pub high: String,
}

impl SearchRange {
    pub fn of(digits: &str) -> SearchRange {
        let pad = OrderNo::DIGITS.saturating_sub(digits.len());
        SearchRange {
            low: format!("{digits}{}", "0".repeat(pad)),
            high: format!("{digits}{}", "9".repeat(pad)),
        }
    }
}

/// A list's filter, search and page, checked.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct OrderQuery {
    pub status: Option<OrderStatus>,
    /// The search as typed (spaces removed): empty, or 1 to 24 digits.
    pub q: String,
    pub after: Option<Cursor>,
}

impl OrderQuery {
    /// Reads the URL's `status`, `q` and `after`; empty means "not given". Spaces inside the
    /// search are dropped (a pasted number may be grouped).
    pub fn parse(status: &str, q: &str, after: &str) -> Result<OrderQuery, FieldErrors> {
        let mut errors = FieldErrors::new();
        let status = match status.trim() {
            "" | "all" => None,
            code => OrderStatus::parse(code)
                .map_err(|_| errors.push(field::STATUS, OrdersText::StatusUnknown))
                .ok(),
        };
        let q: String = q.chars().filter(|c| !c.is_whitespace()).collect();
        if !q.is_empty() && (q.len() > OrderNo::DIGITS || !q.bytes().all(|b| b.is_ascii_digit())) {
            errors.push(field::Q, OrdersText::SearchFormat);
        }
        let after = match after.trim() {
            "" => None,
            text => Cursor::parse(text)
                .ok_or_else(|| errors.push(field::AFTER, OrdersText::CursorInvalid))
                .ok(),
        };
        if errors.is_empty() {
            Ok(OrderQuery { status, q, after })
        } else {
            Err(errors)
        }
    }

    pub fn search(&self) -> Option<SearchRange> {
        (!self.q.is_empty()).then(|| SearchRange::of(&self.q))
    }
}

/// An optional reason: trimmed, empty meaning none, at most [`MAX_REASON_CHARS`].
pub fn check_reason(reason: &str) -> Result<Option<String>, BiText> {
    let reason = reason.trim();
    if reason.chars().count() > MAX_REASON_CHARS {
        return Err(OrdersText::ReasonTooLong.into());
    }
    Ok((!reason.is_empty()).then(|| reason.to_owned()))
}

/// The reason given with `action`: only Reject and Cancel (and the audit's rejection) take one.
pub fn reason_for(action: Action, reason: &str) -> Result<Option<String>, FieldErrors> {
    let reason = check_reason(reason).map_err(|text| FieldErrors::one(field::REASON, text))?;
    if reason.is_some() && !action.takes_reason() {
        return Err(FieldErrors::one(field::REASON, OrdersText::ReasonNotTaken));
    }
    Ok(reason)
}

/// A built version's number: digits separated by single dots, like `1.0.2`.
pub fn check_version_number(text: &str) -> Result<String, BiText> {
    let text = text.trim();
    let well_formed = !text.is_empty()
        && text.len() <= MAX_VERSION_CHARS
        && text
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()));
    if well_formed {
        Ok(text.to_owned())
    } else {
        Err(OrdersText::VersionNumberFormat.into())
    }
}

/// The version's notes (what changed): optional, at most [`MAX_REASON_CHARS`].
pub fn check_notes(text: &str) -> Result<String, BiText> {
    let text = text.trim();
    if text.chars().count() > MAX_REASON_CHARS {
        return Err(OrdersText::NotesTooLong.into());
    }
    Ok(text.to_owned())
}

/// The button of an action the table allows: its label and the form that asks for it.
pub fn button(action: Action, order_no: &OrderNo) -> ActionButton {
    let reason = |title: OrdersText, submit_label: BiText| ActionForm::Reason {
        title: title.into(),
        placeholder: OrdersText::ReasonPlaceholder.into(),
        submit_label,
    };
    let direct = |confirm: Option<OrdersText>| ActionForm::Direct {
        confirm: confirm.map(BiText::from),
    };
    let form = match action {
        Action::Reject => reason(OrdersText::RejectTitle, Action::Reject.into()),
        Action::Cancel => reason(OrdersText::CancelTitle, OrdersText::ConfirmButton.into()),
        Action::AuditReject => reason(OrdersText::RejectTitle, Action::AuditReject.into()),
        Action::Submit => ActionForm::Submit {
            title: OrdersText::SubmitTitle.into(),
            submit_label: OrdersText::SubmitButton.into(),
        },
        Action::Pay => ActionForm::Cashier {
            path: cashier_path(order_no),
        },
        Action::Refund => direct(Some(OrdersText::RefundConfirm)),
        Action::Approve => direct(Some(OrdersText::ApproveConfirm)),
        Action::Confirm => direct(Some(OrdersText::ConfirmAuthorization)),
        Action::Accept | Action::AuditPass | Action::PlaceOrder => direct(None),
    };
    ActionButton {
        action,
        label: action.into(),
        form,
        destructive: matches!(
            action,
            Action::Reject | Action::Cancel | Action::Refund | Action::AuditReject
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_prefix_searches_the_range_of_24_digit_numbers_it_begins() {
        let range = SearchRange::of("2026");
        assert_eq!(range.low, "202600000000000000000000");
        assert_eq!(range.high, "202699999999999999999999");
        let exact = SearchRange::of("202601010000000000000042");
        assert_eq!(exact.low, exact.high);
    }

    #[test]
    fn the_url_query_is_read_with_a_message_for_each_bad_part() {
        let query = OrderQuery::parse("new", " 2026 0101 ", "1767225600000-42").unwrap();
        assert_eq!(query.status, Some(OrderStatus::New));
        assert_eq!(query.q, "20260101");
        assert_eq!(
            query.after,
            Some(Cursor {
                created_at: 1_767_225_600_000,
                id: 42
            })
        );
        assert_eq!(
            OrderQuery::parse("all", "", "").unwrap(),
            OrderQuery::default()
        );
        let errors = OrderQuery::parse("InDevelopment", "12a", "x").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.clone()).collect();
        assert_eq!(fields, ["status", "q", "after"]);
        assert!(OrderQuery::parse("", &"1".repeat(25), "").is_err());
        assert!(OrderQuery::parse("", "", "-1-3").is_err());
    }

    #[test]
    fn cursors_round_trip_through_the_url() {
        let cursor = Cursor {
            created_at: 5,
            id: 9,
        };
        assert_eq!(Cursor::parse(&cursor.text()), Some(cursor));
        assert_eq!(Cursor::parse("5-0"), None);
    }

    #[test]
    fn reasons_are_optional_bounded_and_only_for_actions_that_take_one() {
        assert_eq!(reason_for(Action::Reject, "  "), Ok(None));
        assert_eq!(
            reason_for(Action::Cancel, " too hard "),
            Ok(Some("too hard".into()))
        );
        assert!(reason_for(Action::Accept, "because").is_err());
        assert!(reason_for(Action::Reject, &"x".repeat(501)).is_err());
        assert!(reason_for(Action::Reject, &"理".repeat(500)).is_ok());
    }

    #[test]
    fn version_numbers_are_digits_and_dots() {
        assert_eq!(check_version_number(" 1.0.2 "), Ok("1.0.2".into()));
        assert!(check_version_number("12").is_ok());
        for bad in ["", "1..2", "v1.0", "1.0.", ".1", "1.0-beta"] {
            assert!(check_version_number(bad).is_err(), "{bad}");
        }
        assert!(check_notes(&"n".repeat(501)).is_err());
    }

    #[test]
    fn buttons_follow_the_seed_reject_and_cancel_open_a_reason_pop_up() {
        let no = OrderNo::parse("202601010000000000000042").unwrap();
        let cancel = button(Action::Cancel, &no);
        assert!(cancel.destructive);
        let ActionForm::Reason { submit_label, .. } = cancel.form else {
            panic!("{cancel:?}")
        };
        assert_eq!(submit_label.en, "Confirm");
        let ActionForm::Reason { submit_label, .. } = button(Action::Reject, &no).form else {
            panic!()
        };
        assert_eq!(submit_label.en, "Reject");
        assert_eq!(
            button(Action::Pay, &no).form,
            ActionForm::Cashier {
                path: "/cashier/202601010000000000000042".into()
            }
        );
        assert_eq!(button(Action::Refund, &no).label.zh, "申请退款");
    }
}
