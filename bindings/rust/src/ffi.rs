//! The C ABI of enough: the flat functions and the token interfaces' layout
//! (`<enough/enough.h>`, `<enough/token.h>`, `<enough/token2.h>`).

use core::ffi::c_void;

/// A 16-byte interface id, laid out as a GUID.
#[repr(C)]
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Iid {
    pub data1: u32,
    pub data2: u16,
    pub data3: u16,
    pub data4: [u8; 8],
}

pub const IID_UNKNOWN: Iid = Iid {
    data1: 0xE238_44D5,
    data2: 0x1046,
    data3: 0x46FF,
    data4: [0xA1, 0x10, 0x80, 0xF5, 0xB4, 0x9D, 0xDA, 0x46],
};
pub const IID_TOKEN: Iid = Iid {
    data1: 0xA81E_DFE3,
    data2: 0x750E,
    data3: 0x4083,
    data4: [0x83, 0x61, 0x7D, 0xE3, 0x6B, 0xEF, 0x63, 0xDF],
};
pub const IID_TOKEN2: Iid = Iid {
    data1: 0xF25A_1C91,
    data2: 0xCC30,
    data3: 0x44D5,
    data4: [0x83, 0xAE, 0xF2, 0xD3, 0x6D, 0xE7, 0xB9, 0xAE],
};

pub const OK: i32 = 0;
pub const E_NOINTERFACE: i32 = -1;
pub const E_POINTER: i32 = -2;
pub const E_NOTIMPL: i32 = -5;

pub const REASON_CANCELLED: i32 = 1;
pub const REASON_TIMED_OUT: i32 = 2;

pub type Callback = unsafe extern "C" fn(user_data: *mut c_void, reason: i32);

/// `enough_token2` (it begins with `enough_token`'s six entries).
#[repr(C)]
pub struct Token2 {
    pub vtbl: &'static Token2Vtbl,
}

#[repr(C)]
pub struct Token2Vtbl {
    pub query_interface:
        unsafe extern "C" fn(this: *mut Token2, iid: *const Iid, out: *mut *mut c_void) -> i32,
    pub add_ref: unsafe extern "C" fn(this: *mut Token2) -> u32,
    pub release: unsafe extern "C" fn(this: *mut Token2) -> u32,
    pub is_cancelled: unsafe extern "C" fn(this: *mut Token2) -> i32,
    pub may_cancel: unsafe extern "C" fn(this: *mut Token2) -> i32,
    pub state_word: unsafe extern "C" fn(this: *mut Token2) -> *const u32,
    pub reason: unsafe extern "C" fn(this: *mut Token2) -> i32,
    pub register_callback: unsafe extern "C" fn(
        this: *mut Token2,
        callback: Option<Callback>,
        user_data: *mut c_void,
        registration: *mut *mut c_void,
    ) -> i32,
    pub wait: unsafe extern "C" fn(this: *mut Token2, timeout_ms: i64) -> i32,
    pub fd: unsafe extern "C" fn(this: *mut Token2) -> i32,
}

extern "C" {
    pub fn enough_cancellation_create() -> *mut c_void;
    pub fn enough_cancellation_create_linked(tokens: *const *mut c_void, count: usize) -> *mut c_void;
    pub fn enough_token_create_linked(tokens: *const *mut c_void, count: usize) -> *mut c_void;
    pub fn enough_cancellation_cancel_with_reason(source: *mut c_void, reason: i32) -> bool;
    pub fn enough_cancellation_cancel_after(source: *mut c_void, milliseconds: u64) -> bool;
    pub fn enough_cancellation_is_cancelled(source: *mut c_void) -> bool;
    pub fn enough_cancellation_reason(source: *mut c_void) -> i32;
    pub fn enough_cancellation_destroy(source: *mut c_void);
    pub fn enough_cancellation_abandon(source: *mut c_void);
    pub fn enough_token_create(source: *mut c_void) -> *mut c_void;
    pub fn enough_token_create_never() -> *mut c_void;
    pub fn enough_token_clone(token: *mut c_void) -> *mut c_void;
    pub fn enough_token_may_cancel(token: *mut c_void) -> bool;
    pub fn enough_token_reason(token: *mut c_void) -> i32;
    pub fn enough_token_wait(token: *mut c_void, timeout_ms: i64) -> bool;
    pub fn enough_token_destroy(token: *mut c_void);
    pub fn enough_token_register(token: *mut c_void, callback: Callback, user_data: *mut c_void) -> *mut c_void;
    pub fn enough_registration_destroy(registration: *mut c_void);
    pub fn enough_live_objects() -> usize;
}
