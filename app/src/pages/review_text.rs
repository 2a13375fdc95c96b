//! The texts of the reviewer's version audit and platform clock page (`/review/versions`) and of
//! the tabs between the reviewer's pages, in English and Chinese. Kept apart from
//! [`crate::i18n::Text`] so the page owns its vocabulary.

use crate::i18n::{use_i18n, Bilingual, Lang};

/// Every fixed text of the version audit and platform clock page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewText {
    ReviewTabs,
    TabApplications,
    TabVersions,
    VersionAuditTitle,
    VersionAuditLead,
    AutoPass,
    AutoPassOn,
    AutoPassOff,
    AutoPassTurnedOn,
    AutoPassTurnedOff,
    NoVersionsWaiting,
    VersionsWaiting,
    Service,
    Submitted,
    NoNotes,
    Pass,
    Reject,
    RejectReasonLabel,
    VersionPassed,
    VersionRejected,
    PlatformClock,
    PlatformTime,
    MovedForwardBy,
    NotMoved,
    SandboxLead,
    MoveForwardBy,
    Days,
    Hours,
    Minutes,
    MoveForward,
    ClockMoved,
    WholeNumber,
}

impl ReviewText {
    pub const ALL: [ReviewText; 32] = {
        use ReviewText::*;
        [
            ReviewTabs,
            TabApplications,
            TabVersions,
            VersionAuditTitle,
            VersionAuditLead,
            AutoPass,
            AutoPassOn,
            AutoPassOff,
            AutoPassTurnedOn,
            AutoPassTurnedOff,
            NoVersionsWaiting,
            VersionsWaiting,
            Service,
            Submitted,
            NoNotes,
            Pass,
            Reject,
            RejectReasonLabel,
            VersionPassed,
            VersionRejected,
            PlatformClock,
            PlatformTime,
            MovedForwardBy,
            NotMoved,
            SandboxLead,
            MoveForwardBy,
            Days,
            Hours,
            Minutes,
            MoveForward,
            ClockMoved,
            WholeNumber,
        ]
    };
}

impl Bilingual for ReviewText {
    fn labels(self) -> (&'static str, &'static str) {
        use ReviewText::*;
        match self {
            ReviewTabs => ("Platform review", "平台审核"),
            TabApplications => ("ISV applications and services", "服务商入驻与服务审核"),
            TabVersions => ("Version audit and platform clock", "版本审核与平台时间"),
            VersionAuditTitle => ("Version audit", "版本审核"),
            VersionAuditLead => (
                "Versions ISVs submitted for approval, oldest first. Pass moves the order to Under Approval; Reject keeps it In Development and the ISV sees your reason.",
                "服务商提交审核的版本，按提交时间排列。通过后订单进入待商家确认；驳回后订单仍为实施中，服务商可看到驳回原因。",
            ),
            AutoPass => ("Pass audits automatically", "自动通过审核"),
            AutoPassOn => (
                "On: every new submission passes at once.",
                "已开启：新提交的版本立即通过审核。",
            ),
            AutoPassOff => (
                "Off: a reviewer passes or rejects each submission.",
                "已关闭：由审核员逐一通过或驳回。",
            ),
            AutoPassTurnedOn => (
                "Audits now pass automatically.",
                "已开启自动通过审核。",
            ),
            AutoPassTurnedOff => (
                "Automatic pass is off: reviewers decide each submission.",
                "已关闭自动通过审核，由审核员逐一审核。",
            ),
            NoVersionsWaiting => ("No versions are waiting for audit.", "暂无待审核的版本。"),
            VersionsWaiting => ("Versions waiting for audit", "待审核的版本"),
            Service => ("Service", "服务"),
            Submitted => ("Submitted", "提交时间"),
            NoNotes => ("(none)", "（无）"),
            Pass => ("Pass", "通过"),
            Reject => ("Reject", "驳回"),
            RejectReasonLabel => (
                "Reason for rejecting (the ISV sees it)",
                "驳回原因（服务商可见）",
            ),
            VersionPassed => (
                "The version passed the audit: the order is Under Approval.",
                "版本已通过审核，订单进入待商家确认。",
            ),
            VersionRejected => (
                "The version was rejected: the order stays In Development and the ISV sees the reason.",
                "版本已驳回，订单仍为实施中，服务商可看到驳回原因。",
            ),
            PlatformClock => ("Platform clock", "平台时间"),
            PlatformTime => ("Platform time", "平台当前时间"),
            MovedForwardBy => ("Moved forward by", "已向前调整"),
            NotMoved => ("Not moved", "未调整"),
            SandboxLead => (
                "Sandbox mode: move the platform clock forward to watch the order timers fire (3 days unpaid, 30 days In Development, 7 days Under Approval). It only moves forward.",
                "沙箱模式：将平台时间向前调整，观察订单计时器触发（未付款 3 天、实施中 30 天、待商家确认 7 天）。时间只能向前调整。",
            ),
            MoveForwardBy => ("Move the clock forward by", "向前调整"),
            Days => ("Days", "天"),
            Hours => ("Hours", "小时"),
            Minutes => ("Minutes", "分钟"),
            MoveForward => ("Move forward", "向前调整时间"),
            ClockMoved => (
                "The platform clock moved forward; the timers that fell due fire now.",
                "平台时间已向前调整，到期的计时器随即触发。",
            ),
            WholeNumber => ("Enter a whole number, 0 or more.", "请输入不小于 0 的整数。"),
        }
    }
}

/// A reactive text of the page: follows the language switch.
pub fn rt(text: ReviewText) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let i18n = use_i18n();
    move || text.label(i18n.lang())
}

/// How far the platform clock was moved: "7 d 2 h 30 min" / "7 天 2 小时 30 分钟"; whole minutes.
pub fn format_offset(ms: i64, lang: Lang) -> String {
    let minutes = ms.max(0) / 60_000;
    let (days, hours, minutes) = (minutes / 1440, minutes % 1440 / 60, minutes % 60);
    match lang {
        Lang::En => format!("{days} d {hours} h {minutes} min"),
        Lang::Zh => format!("{days} 天 {hours} 小时 {minutes} 分钟"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_has_both_languages() {
        for text in ReviewText::ALL {
            let (en, zh) = text.labels();
            assert!(!en.is_empty() && !zh.is_empty(), "{text:?}");
        }
    }

    #[test]
    fn an_offset_reads_in_days_hours_and_minutes() {
        assert_eq!(format_offset(0, Lang::En), "0 d 0 h 0 min");
        assert_eq!(
            format_offset(
                7 * 86_400_000 + 2 * 3_600_000 + 30 * 60_000 + 59_999,
                Lang::En
            ),
            "7 d 2 h 30 min"
        );
        assert_eq!(format_offset(3_600_000, Lang::Zh), "0 天 1 小时 0 分钟");
    }
}
