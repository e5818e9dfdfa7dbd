//! One integration test binary, a module per feature, so the suite links once.

mod write;
