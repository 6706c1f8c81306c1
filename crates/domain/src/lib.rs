//! Types and rules shared by the Domkom reference backend and the client, one module per
//! feature, each holding its rules and its wire types (`wire` names them all in one place).
//! Pure: no I/O.

mod vocab;

pub mod auth;
pub mod bill;
pub mod chat;
pub mod feed;
pub mod governance;
pub mod house;
pub mod id;
pub mod json;
pub mod message;
pub mod meter;
pub mod moderation;
pub mod money;
pub mod notice;
pub mod poll;
pub mod refusal;
pub mod role;
pub mod stats;
pub mod ticket;
pub mod time;
pub mod wire;

pub use money::Kopecks;
pub use refusal::Coded;
pub use role::{Role, StaffRole};
