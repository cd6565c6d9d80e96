//! What every page loads besides itself, compiled into the binary: the
//! favicon and the one script. Served without a session (the login page
//! loads them too).

use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};

/// The icon: a target on the header's dark blue. Cached for a year: it
/// changes with a release, if ever.
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

/// The pages' few behaviours (`assets/metas.js`): the only script a page
/// runs, as the Content-Security-Policy allows no inline one.
pub const SCRIPT_JS: &str = include_str!("../../assets/metas.js");

/// `/metas.js`, revalidated after five minutes: it changes with a release.
pub async fn script() -> Response {
    (
        [
            (CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (CACHE_CONTROL, "public, max-age=300"),
        ],
        SCRIPT_JS,
    )
        .into_response()
}
