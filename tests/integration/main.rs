//! The one integration test binary (one link for the whole suite); a module per feature.

mod read;
