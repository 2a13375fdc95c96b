//! Reads the business information form, sent as `multipart/form-data` because it carries the
//! Business Logo file. The body is a stream without a size limit of its own, so the limits are
//! kept here while reading: a logo over 2 MB is noted (and refused later, beside the field)
//! without being kept in memory, and a body far over any honest size is cut off.

use super::rules::BusinessInfoInput;
use super::{field, MAX_LOGO_BYTES};
use crate::auth::{checkbox_ticked, FieldErrors};
use crate::error::AppError;
use leptos::server_fn::codec::MultipartData;

/// The longest text field kept; longer ones are cut here and refused by the length rules.
const MAX_TEXT_BYTES: usize = 16 * 1024;
/// A whole body beyond this is not read further: the logo's limit plus room for the texts.
const MAX_BODY_BYTES: usize = MAX_LOGO_BYTES + 1024 * 1024;

/// What the form's file input held.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum LogoUpload {
    /// No file chosen (browsers send an empty part with an empty file name).
    #[default]
    None,
    Bytes(Vec<u8>),
    /// More than [`MAX_LOGO_BYTES`]; the bytes were not kept.
    TooLarge,
}

/// The business information form as sent.
#[derive(Clone, Debug, Default)]
pub struct BusinessForm {
    pub input: BusinessInfoInput,
    pub logo: LogoUpload,
    /// Resubmission: drop the previous submission's logo instead of keeping it.
    pub remove_logo: bool,
}

/// The bytes of one part of a form: the first ones kept, all of them counted.
#[derive(Debug, Default)]
pub(crate) struct PartBytes {
    pub kept: Vec<u8>,
    pub len: usize,
}

/// A form body read part by part under one limit for the whole body, so an upload without a
/// size limit of its own is cut off once it passes any honest size (used by every upload).
pub(crate) struct BodyBudget {
    read: usize,
    limit: usize,
}

impl BodyBudget {
    pub fn new(limit: usize) -> BodyBudget {
        BodyBudget { read: 0, limit }
    }

    /// Counts `chunk` into `part`, keeping at most `keep_up_to` bytes of the part; `false` once
    /// the whole body has passed the limit.
    pub fn take(&mut self, part: &mut PartBytes, chunk: &[u8], keep_up_to: usize) -> bool {
        part.len += chunk.len();
        self.read += chunk.len();
        let room = keep_up_to.saturating_sub(part.kept.len());
        part.kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
        self.read <= self.limit
    }
}

fn unreadable(error: impl std::fmt::Display) -> AppError {
    AppError::Invalid(format!(
        "The form could not be read ({error}). Please submit it again."
    ))
}

fn logo_too_large() -> AppError {
    AppError::Fields(FieldErrors::one(
        field::LOGO,
        super::OnboardingText::LogoTooLarge,
    ))
}

/// Reads every part of the form; unknown parts are skipped.
pub async fn read_business_form(data: MultipartData) -> Result<BusinessForm, AppError> {
    let Some(mut multipart) = data.into_inner() else {
        return Err(unreadable("no form data"));
    };
    let mut form = BusinessForm::default();
    let mut agree_terms = None;
    let mut budget = BodyBudget::new(MAX_BODY_BYTES);
    while let Some(mut part) = multipart.next_field().await.map_err(unreadable)? {
        let name = part.name().unwrap_or_default().to_owned();
        let is_file = name == field::LOGO;
        let keep_up_to = if is_file {
            MAX_LOGO_BYTES + 1
        } else {
            MAX_TEXT_BYTES
        };
        let has_file_name = part.file_name().is_some_and(|name| !name.is_empty());
        let mut bytes = PartBytes::default();
        while let Some(chunk) = part.chunk().await.map_err(unreadable)? {
            if !budget.take(&mut bytes, &chunk, keep_up_to) {
                return Err(if is_file {
                    logo_too_large()
                } else {
                    unreadable("the form is too large")
                });
            }
        }
        let PartBytes {
            kept: bytes,
            len: part_bytes,
        } = bytes;
        if is_file {
            form.logo = if part_bytes > MAX_LOGO_BYTES {
                LogoUpload::TooLarge
            } else if part_bytes == 0 && !has_file_name {
                LogoUpload::None
            } else {
                LogoUpload::Bytes(bytes)
            };
            continue;
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let input = &mut form.input;
        match name.as_str() {
            field::COMPANY_NAME => input.company_name = text,
            field::BUSINESS_ADDRESS => input.business_address = text,
            field::COUNTRY_REGION => input.country_region = text,
            field::BUSINESS_REPRESENTATIVE => input.business_representative = text,
            field::WEBSITE => input.website = text,
            field::CUSTOMER_SERVICE_NUMBER => input.customer_service_number = text,
            field::CUSTOMER_SERVICE_EMAIL => input.customer_service_email = text,
            field::AGREE_TERMS => agree_terms = Some(text),
            field::REMOVE_LOGO => form.remove_logo = checkbox_ticked(Some(&text)),
            _ => {}
        }
    }
    form.input.agreed_to_terms = checkbox_ticked(agree_terms.as_deref());
    Ok(form)
}
