//! What every page loads besides itself, compiled into the binary: the
//! favicon. Served without a session (the login page shows it too) and
//! cached for a year: it changes with a release, if ever.

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

/// The icon: a target on the header's dark blue.
pub const FAVICON_SVG: &str = include_str!("../../assets/favicon.svg");

/// `/favicon.svg`, and `/favicon.ico` for the browsers and tools that ask
/// for that name whatever the page says (every current browser reads SVG).
pub async fn favicon() -> Response {
    (
        [
            (CONTENT_TYPE, "image/svg+xml"),
            (CACHE_CONTROL, "public, max-age=31536000"),
        ],
        FAVICON_SVG,
    )
        .into_response()
}
