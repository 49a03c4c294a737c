//! What the next.config rules share: finding the config objects (`find`) and editing their
//! properties surgically (`edit`).

pub mod edit;
pub mod find;
