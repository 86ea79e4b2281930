//! The released letter's own addresses: `/letters/{slug}` (the page), `.json` (readable by
//! any website's scripts), `.txt`, `.pdf`, the same for each translation at
//! `/letters/{slug}/{language}` (`/letters/{slug}/fr.json`…),
//! and `/letters/{slug}/signatories.csv` and `.xlsx`, all served from the rendered copy in
//! memory, under the same ETag and Last-Modified.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};

use super::cache::{PublicCache, rendered};
use super::not_published;
use super::variants::serve;
use crate::app::Context;
use crate::domain::LanguageTag;
use crate::web::PageError;

/// The forms of a letter at `/letters/{name}`, by the name's ending.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Form {
    Page,
    Json,
    Text,
    Pdf,
}

impl Form {
    /// The name without its ending, and the form the ending asks for.
    fn of(name: &str) -> (&str, Self) {
        if let Some(base) = name.strip_suffix(".json") {
            (base, Form::Json)
        } else if let Some(base) = name.strip_suffix(".txt") {
            (base, Form::Text)
        } else if let Some(base) = name.strip_suffix(".pdf") {
            (base, Form::Pdf)
        } else {
            (name, Form::Page)
        }
    }
}

#[get("/letters/{name}")]
pub(super) async fn letter(
    request: HttpRequest,
    ctx: web::Data<Context>,
    cache: web::Data<PublicCache>,
    name: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let name = name.into_inner();
    let (slug, form) = Form::of(&name);
    let rendered = rendered(&ctx, &cache, slug).await?;
    let variants = match form {
        Form::Page => &rendered.page,
        Form::Json => &rendered.json,
        Form::Text => &rendered.text,
        Form::Pdf => rendered.pdf.get().await?,
    };
    let mut response = serve(&request, &rendered, variants).await?;
    if form == Form::Pdf {
        name_file(&mut response, "inline", &format!("{slug}.pdf"));
    }
    if form == Form::Json {
        // Any website may read the published letter from a script.
        response.headers_mut().insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            header::HeaderValue::from_static("*"),
        );
    }
    Ok(response)
}

/// A translation of a released letter, `/letters/{slug}/{language}` and its `.json`, `.txt`
/// and `.pdf`. The route takes only what looks like a language tag, so the letter's other
/// addresses (`embed`, `join`, `signatories.csv`) are never taken for one. 404 for a language
/// the letter is not published in.
#[get("/letters/{slug}/{name:[a-z][a-z][a-z]?(-[A-Za-z0-9]+)*(\\.json|\\.txt|\\.pdf)?}")]
pub(super) async fn translation(
    request: HttpRequest,
    ctx: web::Data<Context>,
    cache: web::Data<PublicCache>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (slug, name) = path.into_inner();
    let (language, form) = Form::of(&name);
    let rendered = rendered(&ctx, &cache, &slug).await?;
    // Tags are case-insensitive: "zh-hans" is the letter's "zh-Hans".
    let Some(translation) = LanguageTag::parse(language)
        .ok()
        .and_then(|tag| rendered.translation(tag.as_str()))
    else {
        return Err(not_published());
    };
    let variants = match form {
        Form::Page => &translation.page,
        Form::Json => &translation.json,
        Form::Text => &translation.text,
        Form::Pdf => translation.pdf.get().await?,
    };
    let mut response = serve(&request, &rendered, variants).await?;
    if form == Form::Pdf {
        name_file(&mut response, "inline", &format!("{slug}-{language}.pdf"));
    }
    if form == Form::Json {
        response.headers_mut().insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            header::HeaderValue::from_static("*"),
        );
    }
    Ok(response)
}

/// Names the file a response is saved as; `disposition` is `inline` (shown, then saved under
/// this name) or `attachment` (saved at once). `rendered` has checked that the slug in the
/// name is lowercase letters, digits and hyphens, so the header needs no quoting.
fn name_file(response: &mut HttpResponse, disposition: &str, file_name: &str) {
    if let Ok(value) =
        header::HeaderValue::from_str(&format!("{disposition}; filename=\"{file_name}\""))
    {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
}

#[get("/letters/{slug}/signatories.csv")]
pub(super) async fn signatories_csv(
    request: HttpRequest,
    ctx: web::Data<Context>,
    cache: web::Data<PublicCache>,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let rendered = rendered(&ctx, &cache, &slug).await?;
    let mut response = serve(&request, &rendered, &rendered.csv).await?;
    name_file(
        &mut response,
        "attachment",
        &format!("{slug}-signatories.csv"),
    );
    Ok(response)
}

#[get("/letters/{slug}/signatories.xlsx")]
pub(super) async fn signatories_xlsx(
    request: HttpRequest,
    ctx: web::Data<Context>,
    cache: web::Data<PublicCache>,
    slug: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let rendered = rendered(&ctx, &cache, &slug).await?;
    let mut response = serve(&request, &rendered, &rendered.xlsx).await?;
    name_file(
        &mut response,
        "attachment",
        &format!("{slug}-signatories.xlsx"),
    );
    Ok(response)
}
