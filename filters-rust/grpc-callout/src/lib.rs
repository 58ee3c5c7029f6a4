//! `grpc-callout`: makes a unary gRPC call (health check) per request and reports the outcome in
//! request headers (docs/filters/FILTERS.md "grpc-callout").

pub mod logic;

#[cfg(target_arch = "wasm32")]
mod filter;
