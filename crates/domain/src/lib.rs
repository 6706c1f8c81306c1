//! Types and rules shared by the Domkom reference backend and the client: roles, money,
//! message text, meter readings, ticket deadlines, outage limits, and the wire types that
//! cross HTTP. Pure: no I/O.

pub mod chat;
pub mod json;
pub mod message;
pub mod meter;
pub mod money;
pub mod outage;
pub mod refusal;
pub mod role;
pub mod ticket;
pub mod wire;

pub use money::Kopecks;
pub use refusal::Coded;
pub use role::{Role, StaffRole};
