/// @file
/// enough: the C++ projection, one include for all of it. Header-only, over the flat
/// API and the ABI, split as C++/WinRT splits consuming from authoring:
///
///   <enough/handles.hpp>      consuming: source, token, token_view, registration,
///                             stop_callback, last_error
///   <enough/implements.hpp>   authoring: implements<D, I...>, make, make_token, and
///                             callback_hub for tokens that push their cancellation
///   <enough/coroutine.hpp>    co_await token.cancelled(), cancellation_race
///   <enough/std_interop.hpp>  std::stop_token both ways
///
/// Each compiles on its own; include the one you need, or this.
#pragma once

#include <enough/coroutine.hpp>
#include <enough/handles.hpp>
#include <enough/implements.hpp>
#include <enough/std_interop.hpp>
