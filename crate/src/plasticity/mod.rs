//! Plasticity rules that shape recurrent-network activity online, and the reference rules they
//! are measured against.
//!
//! Local rules update a synapse from quantities available at that synapse (pre- and
//! postsynaptic activity, perhaps a broadcast signal). [`force`] is the classic non-local
//! reference: FORCE learning (Sussillo & Abbott 2009) trains a readout fed back into a chaotic
//! network by recursive least squares, whose N × N inverse-correlation matrix couples every
//! weight update to the activity of the whole network.

pub mod force;
