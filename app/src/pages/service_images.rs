//! A service's images on the pages: the editor on the console's service page (upload, remove,
//! move earlier), and the read-only gallery of the reviewer's queue, the console and the
//! marketplace's detail page.
//!
//! The editor keeps the list it shows in a signal of its own, set from each answer, so an
//! upload never redraws the service form above it (which would lose unsaved typing). The file
//! goes as `FormData` built from the upload form, because `ActionForm` cannot send files.

use super::auth::{field_errors, last_error, FieldNote, FormAlert};
use crate::error::AppError;
use crate::i18n::{use_i18n, Lang, Text};
use crate::services::images::{
    delete_service_image, field, move_service_image_earlier, upload_service_image,
    MAX_SERVICE_IMAGES,
};
use crate::services::ServiceImage;
use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos::web_sys::{FormData, HtmlFormElement, SubmitEvent};

/// An image's text alternative: the service's name and the image's place ("Menu · Image 2").
fn image_alt(name: &str, index: usize, lang: Lang) -> String {
    format!("{name} · {} {}", Text::ServiceImage.get(lang), index + 1)
}

/// The images in order, read-only; nothing when there are none. `name` is the service's, for
/// the images' text alternatives.
#[component]
pub fn ServiceGallery(images: Vec<ServiceImage>, name: String) -> impl IntoView {
    let i18n = use_i18n();
    (!images.is_empty()).then(|| {
        let items = images
            .into_iter()
            .enumerate()
            .map(|(index, image)| {
                let name = name.clone();
                let alt = move || image_alt(&name, index, i18n.lang());
                view! {
                    <li>
                        <img src=image.url alt=alt loading="lazy" />
                    </li>
                }
            })
            .collect_view();
        view! {
            <ul class="service-gallery" aria-label=move || i18n.t(Text::ServiceImages)()>
                {items}
            </ul>
        }
    })
}

/// The console's image editor of a service that may be edited.
#[component]
pub fn ServiceImagesEditor(
    service_id: i64,
    images: Vec<ServiceImage>,
    name: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let images = RwSignal::new(images);
    let outcome = RwSignal::new(None::<Result<Vec<ServiceImage>, AppError>>);
    let pending = RwSignal::new(false);
    let errors = field_errors(outcome);
    let alert = last_error(outcome);
    let answered = move |result: Result<Vec<ServiceImage>, AppError>| {
        if let Ok(list) = &result {
            images.set(list.clone());
        }
        pending.set(false);
        outcome.set(Some(result));
    };

    let on_upload = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let Some(form) = ev
            .target()
            .and_then(|target| target.dyn_into::<HtmlFormElement>().ok())
        else {
            return;
        };
        let Ok(data) = FormData::new_with_form(&form) else {
            return;
        };
        pending.set(true);
        leptos::task::spawn_local(async move {
            let result = upload_service_image(data.into()).await;
            if result.is_ok() {
                form.reset();
            }
            answered(result);
        });
    };
    let remove = move |image_id: i64| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        leptos::task::spawn_local(async move {
            answered(delete_service_image(service_id, image_id).await);
        });
    };
    let move_earlier = move |image_id: i64| {
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        leptos::task::spawn_local(async move {
            answered(move_service_image_earlier(service_id, image_id).await);
        });
    };

    let list = move || {
        let current = images.get();
        if current.is_empty() {
            return view! { <p class="muted">{i18n.t(Text::NoServiceImages)}</p> }.into_any();
        }
        let name = name.clone();
        let items = current
            .into_iter()
            .enumerate()
            .map(|(index, image)| {
                let name = name.clone();
                let alt = move || image_alt(&name, index, i18n.lang());
                let id = image.id;
                view! {
                    <li>
                        <img src=image.url alt=alt />
                        <div class="image-actions">
                            {(index == 0).then(|| view! { <span class="tag">{i18n.t(Text::CoverImage)}</span> })}
                            {(index > 0).then(|| view! {
                                <button type="button" class="button small" disabled=move || pending.get() on:click=move |_| move_earlier(id)>
                                    {i18n.t(Text::MoveImageEarlier)}
                                </button>
                            })}
                            <button type="button" class="button small danger" disabled=move || pending.get() on:click=move |_| remove(id)>
                                {i18n.t(Text::RemoveImage)}
                            </button>
                        </div>
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="service-gallery editable">{items}</ul> }.into_any()
    };

    view! {
        <section class="service-images" aria-labelledby="service-images-title">
            <h2 id="service-images-title">{i18n.t(Text::ServiceImages)}</h2>
            <p class="hint">{i18n.t(Text::ServiceImagesHint)}</p>
            {list}
            <FormAlert error=alert />
            <Show when=move || images.with(Vec::len) < MAX_SERVICE_IMAGES>
                <form
                    class="upload-form"
                    method="post"
                    action="/api/services/upload_image"
                    enctype="multipart/form-data"
                    on:submit=on_upload
                >
                    <input type="hidden" name=field::SERVICE_ID value=service_id.to_string() />
                    <label for="service-image">{i18n.t(Text::ChooseImage)}</label>
                    <input
                        id="service-image"
                        type="file"
                        name=field::IMAGE
                        accept="image/png,image/jpeg"
                        disabled=move || pending.get()
                        aria-describedby=format!("{}-error", field::IMAGE)
                    />
                    <FieldNote errors field=field::IMAGE />
                    <button type="submit" class="button" disabled=move || pending.get()>
                        {i18n.t(Text::UploadImage)}
                    </button>
                </form>
            </Show>
        </section>
    }
}
