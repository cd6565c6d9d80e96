//! `GET /api/v1/backup`: a consistent copy of the whole database, while the
//! server runs (`metas backup FILE --url …` calls it).

use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use metas_service::access::{self, Action, Scope};
use tokio::io::{AsyncRead, ReadBuf};

use crate::{auth, ApiError, AppState};

use super::ErrorEnvelope;

/// The database file at one moment (administrators: it holds every user's
/// password hash). Writes wait while the copy is taken.
#[utoipa::path(get, path = "/api/v1/backup", tag = "settings",
    responses((status = 200, description = "The database file (DuckDB), to restore with `metas restore FILE`", content_type = "application/octet-stream", body = Vec<u8>),
              (status = 401, description = "No session or token", body = ErrorEnvelope),
              (status = 403, description = "Not an administrator", body = ErrorEnvelope)),
    security(("bearer" = []), ("session" = [])))]
pub async fn backup(
    State(state): State<Arc<AppState>>,
    user: auth::ApiUser,
) -> Result<Response, ApiError> {
    access::require(&user.0, Action::Configure, &Scope::Organisation)?;
    let (file, bytes) = state.backup().await?;
    let name = format!(
        "metas-{}.db",
        (state.settings.now)().strftime("%Y%m%dT%H%M%SZ")
    );
    Ok((
        [
            (header::CONTENT_TYPE, "application/octet-stream".to_string()),
            (header::CONTENT_LENGTH, bytes.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        Body::from_stream(Chunks {
            file,
            buf: vec![0; 256 * 1024],
        }),
    )
        .into_response())
}

/// A file read in chunks as a response body.
struct Chunks {
    file: tokio::fs::File,
    buf: Vec<u8>,
}

impl futures_core::Stream for Chunks {
    type Item = std::io::Result<Bytes>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        let mut read = ReadBuf::new(&mut this.buf);
        match Pin::new(&mut this.file).poll_read(cx, &mut read) {
            Poll::Ready(Ok(())) if read.filled().is_empty() => Poll::Ready(None),
            Poll::Ready(Ok(())) => Poll::Ready(Some(Ok(Bytes::copy_from_slice(read.filled())))),
            Poll::Ready(Err(e)) => Poll::Ready(Some(Err(e))),
            Poll::Pending => Poll::Pending,
        }
    }
}
