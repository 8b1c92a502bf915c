//! Rate-network dynamics dx/dt = −x + J φ(x) + b + I(t) + σ ξ(t).

pub mod phi;
pub mod simulation;
