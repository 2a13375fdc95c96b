//! The emails of onboarding: approval (with the link to the onboarding details), turn-down
//! (with the reason), and invitations (with the link that accepts them). Plain text, English
//! then Chinese, like the account emails.

use super::{invitation_path, workspace_path, MemberRole};
use crate::i18n::Bilingual;
use crate::mail::OutgoingEmail;

/// An absolute link: the public address of the site and a path on it.
pub fn link(public_url: &str, path: &str) -> String {
    format!("{}{path}", public_url.trim_end_matches('/'))
}

pub fn approval(
    to: &str,
    company_name: &str,
    workspace_id: i64,
    public_url: &str,
) -> OutgoingEmail {
    let url = link(public_url, &workspace_path(workspace_id));
    OutgoingEmail {
        to: to.to_owned(),
        subject: "Your ISV application is approved / 您的服务商入驻申请已通过".to_owned(),
        body_text: format!(
            "Congratulations! Your application for {company_name} to join Service Market as an \
             ISV has been approved. Your workspace {company_name} is now active, and your member \
             role is Owner.\n\n\
             View the onboarding details:\n{url}\n\n\
             恭喜！{company_name} 的服务商入驻申请已通过审核，工作空间 {company_name} 已生效，\
             您的成员角色为所有者。\n\n查看入驻详情：\n{url}\n"
        ),
    }
}

pub fn turned_down(
    to: &str,
    company_name: &str,
    reason: &str,
    workspace_id: i64,
    public_url: &str,
) -> OutgoingEmail {
    let url = link(public_url, &workspace_path(workspace_id));
    OutgoingEmail {
        to: to.to_owned(),
        subject: "Your ISV application was turned down / 您的服务商入驻申请未通过".to_owned(),
        body_text: format!(
            "Your application for {company_name} to join Service Market as an ISV was turned \
             down for this reason:\n\n    {reason}\n\n\
             You can edit the business information and submit it again:\n{url}\n\n\
             {company_name} 的服务商入驻申请未通过审核，原因：\n\n    {reason}\n\n\
             您可以修改企业信息后重新提交：\n{url}\n"
        ),
    }
}

pub fn invitation(
    to: &str,
    workspace_name: &str,
    role: MemberRole,
    inviter: &str,
    token: &str,
    public_url: &str,
) -> OutgoingEmail {
    let url = link(public_url, &invitation_path(token));
    let (role_en, role_zh) = role.labels();
    OutgoingEmail {
        to: to.to_owned(),
        subject: format!("Join {workspace_name} on Service Market / 加入服务市场工作空间"),
        body_text: format!(
            "{inviter} invites you to join the workspace {workspace_name} on Service Market as \
             {role_en}. The invitation is valid for 3 days. Sign in (or sign up) with this email \
             and accept it here:\n{url}\n\n\
             {inviter} 邀请您以{role_zh}身份加入服务市场的工作空间 {workspace_name}。邀请 3 天内\
             有效。请使用本邮箱登录（或注册）后在此接受：\n{url}\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_join_the_public_address_and_the_path() {
        assert_eq!(
            link("https://market.example/", "/console/workspaces/3"),
            "https://market.example/console/workspaces/3"
        );
        assert_eq!(
            link("http://127.0.0.1:3000", "/x"),
            "http://127.0.0.1:3000/x"
        );
    }

    #[test]
    fn the_approval_email_links_to_the_onboarding_details() {
        let mail = approval("jane@example.com", "Cloudleaf", 42, "https://m.example");
        assert_eq!(mail.to, "jane@example.com");
        assert!(mail.subject.contains("approved"));
        assert!(mail
            .body_text
            .contains("https://m.example/console/workspaces/42"));
        assert!(mail.body_text.contains("Owner") && mail.body_text.contains("所有者"));
    }

    #[test]
    fn an_invitation_email_carries_its_token_link_and_role() {
        let mail = invitation(
            "dev@example.com",
            "Cloudleaf",
            MemberRole::Developer,
            "jane",
            "t0k3n",
            "https://m.example",
        );
        assert!(mail
            .body_text
            .contains("https://m.example/invitations/t0k3n"));
        assert!(mail.body_text.contains("as Developer") && mail.body_text.contains("开发者"));
        assert!(mail.body_text.contains("3 days"));
    }
}
