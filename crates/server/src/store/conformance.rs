//! The tests every implementation of the store traits must pass.
