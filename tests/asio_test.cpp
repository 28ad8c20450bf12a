// enough::asio: a token cancels real Asio operations (a steady timer, a read from a
// socket on loopback), from another thread.
#include <enough/asio.hpp>

#include <asio.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace {

using namespace std::chrono_literals;

TEST(Asio, ATokenCancelsATimerWaitFromAnotherThread) {
    const std::size_t live = enough_live_objects();
    {
        ::asio::io_context io;
        ::asio::steady_timer timer(io, 10s);
        enough::source source;
        std::error_code result;
        bool completed = false;
        timer.async_wait(enough::asio::bind_token(source.token(), timer.get_executor(), [&](std::error_code error) {
            result = error;
            completed = true;
        }));
        std::thread canceller([&] {
            std::this_thread::sleep_for(20ms);
            source.cancel();
        });
        const auto started = std::chrono::steady_clock::now();
        io.run();
        canceller.join();
        EXPECT_TRUE(completed);
        EXPECT_EQ(result, ::asio::error::operation_aborted);
        EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
    }
    EXPECT_EQ(enough_live_objects(), live);
}

TEST(Asio, ATokenCancelsASocketRead) {
    ::asio::io_context io;
    ::asio::ip::tcp::acceptor acceptor(io, {::asio::ip::make_address("127.0.0.1"), 0});
    ::asio::ip::tcp::socket client(io);
    ::asio::ip::tcp::socket server(io);
    client.connect(acceptor.local_endpoint());
    acceptor.accept(server);
    enough::source source;
    char byte = 0;
    std::error_code result;
    ::asio::async_read(server, ::asio::buffer(&byte, 1),
                       enough::asio::bind_token(source.token(), server.get_executor(),
                                                [&](std::error_code error, std::size_t) { result = error; }));
    std::thread canceller([&] {
        std::this_thread::sleep_for(20ms);
        source.cancel(enough::reason::timed_out);
    });
    io.run(); // nothing is ever written: only the token ends the read
    canceller.join();
    EXPECT_EQ(result, ::asio::error::operation_aborted);
}

TEST(Asio, AnOperationThatCompletesFirstLetsGoOfTheToken) {
    const std::size_t live = enough_live_objects();
    enough::source source;
    {
        ::asio::io_context io;
        ::asio::steady_timer timer(io, 1ms);
        std::error_code result = ::asio::error::operation_aborted;
        timer.async_wait(enough::asio::bind_token(source.token(), timer.get_executor(),
                                                  [&](std::error_code error) { result = error; }));
        io.run();
        EXPECT_FALSE(result);
    }
    EXPECT_EQ(enough_live_objects(), live + 1); // the source's state only: no registration left
    source.cancel();                             // reaches no operation any more
}

} // namespace
