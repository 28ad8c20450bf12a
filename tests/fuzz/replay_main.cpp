// Runs the fuzz target over files and folders (the committed corpus, or a crash file
// libFuzzer saved), so every build checks the corpus without libFuzzer.
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, std::size_t size);

int main(int argc, char **argv) {
    std::size_t inputs = 0;
    std::size_t bytes = 0;
    const auto replay = [&](const std::filesystem::path &file) {
        std::ifstream in(file, std::ios::binary);
        const std::vector<uint8_t> data((std::istreambuf_iterator<char>(in)),
                                        std::istreambuf_iterator<char>());
        LLVMFuzzerTestOneInput(data.data(), data.size());
        ++inputs;
        bytes += data.size();
    };
    for (int i = 1; i < argc; ++i) {
        const std::filesystem::path path(argv[i]);
        if (std::filesystem::is_directory(path)) {
            for (const auto &entry : std::filesystem::directory_iterator(path)) {
                replay(entry.path());
            }
        } else {
            replay(path);
        }
    }
    std::printf("replayed %zu inputs (%zu bytes), every answer matched the model\n", inputs, bytes);
    return inputs > 0 ? 0 : 1;
}
