//! metas-i18n: the five languages of metas (docs/product.md §9): English, Spanish,
//! French, Portuguese and Chinese (simplified), for anything that speaks to a
//! person — the web pages, and e-mails, printable plans and the CLI, which
//! have a language but no request.
//!
//! Messages are Fluent files compiled into the crate, one per language and
//! feature area (`locales/<tag>/<area>.ftl`, see [`AREAS`]), every language
//! with exactly the English ids. A [`Tr`] is given its language explicitly
//! ([`Tr::new`]); choosing a request's language (user setting, cookie,
//! Accept-Language) and keeping it for the request is the web server's.
//!
//! Numbers are formatted by the domain (`display_value`) with `.` for
//! decimals and `,` for thousands; [`Tr::num`] turns those separators into the
//! locale's. Dates are written the locale's way by [`Tr::date`]; form fields
//! keep ISO dates, which every browser and the CLI read alike.
//!
//! No IO beyond the compiled-in catalogues, no clock, no request state.

mod catalogue;
mod lang;
mod tr;

pub use catalogue::{message_ids, AREAS};
pub use lang::Lang;
pub use tr::Tr;
