//! The domain shared by the server and the browser: the order lifecycle table and the newtypes
//! that parse input once. Pure code with no I/O, so it compiles for wasm32 as well.

pub mod newtypes;
pub mod order;

pub use newtypes::{
    civil_from_days, AppId, Email, Field, Money, OrderNo, ParseError, Problem, Username,
};
pub use order::{
    allowed_actions, apply_action, apply_timer, entry_effects, initial_status, order_query_status,
    order_query_top_status, place_order, timers_armed_on_entry, Action, Actor, CancelCause,
    DeadlineChange, Effect, Entry, Guard, OrderFacts, OrderStatus, Outcome, Refusal, Timer, To,
    Transition, Trigger, UnknownCode, ENTRY_EFFECTS, TRANSITIONS,
};
