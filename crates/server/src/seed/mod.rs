//! Seed data (being written).
