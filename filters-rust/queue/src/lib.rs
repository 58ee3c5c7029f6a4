//! `queue`: enqueues a message on every tick, drains the queue when it is ready and counts the
//! messages in shared data (docs/filters/FILTERS.md "queue").

pub mod logic;

#[cfg(target_arch = "wasm32")]
mod filter;
