//! metas-server
