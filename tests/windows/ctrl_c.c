/* Ctrl-C on Windows: starts PROGRAM ARGS... on this console, with its output on a
 * pipe; once it has said its first line, presses Ctrl-C on the console (this process
 * ignoring it), and passes when the program said EXPECTED. Needs a console: under
 * Wine, run it in a pseudo-terminal.
 *   ctrl_c EXPECTED PROGRAM [ARGS...] */
#include <windows.h>

#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc < 3) {
        return 2;
    }
    char command[2048] = "";
    for (int i = 2; i < argc; ++i) {
        strncat(command, "\"", sizeof command - strlen(command) - 1);
        strncat(command, argv[i], sizeof command - strlen(command) - 1);
        strncat(command, "\" ", sizeof command - strlen(command) - 1);
    }
    SECURITY_ATTRIBUTES inheritable = {sizeof inheritable, NULL, TRUE};
    HANDLE read_end = NULL, write_end = NULL;
    if (!CreatePipe(&read_end, &write_end, &inheritable, 0)) {
        return 3;
    }
    SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0);
    STARTUPINFOA startup;
    memset(&startup, 0, sizeof startup);
    startup.cb = sizeof startup;
    startup.dwFlags = STARTF_USESTDHANDLES;
    startup.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    startup.hStdOutput = write_end;
    startup.hStdError = write_end;
    PROCESS_INFORMATION started;
    if (!CreateProcessA(argv[2], command, NULL, NULL, TRUE, 0, NULL, NULL, &startup, &started)) {
        printf("cannot start %s: %lu\n", argv[2], (unsigned long)GetLastError());
        return 4;
    }
    CloseHandle(write_end);
    char output[8192] = "";
    size_t length = 0;
    DWORD got = 0;
    /* The first line says it runs; then the break. */
    while (length < sizeof output - 1 && ReadFile(read_end, output + length, 1, &got, NULL) && got == 1) {
        if (output[length++] == '\n') {
            break;
        }
    }
    Sleep(300);
    SetConsoleCtrlHandler(NULL, TRUE); /* after the start: children inherit ignoring it */
    const BOOL sent = GenerateConsoleCtrlEvent(CTRL_C_EVENT, 0);
    while (length < sizeof output - 1 &&
           ReadFile(read_end, output + length, (DWORD)(sizeof output - 1 - length), &got, NULL) && got > 0) {
        length += got;
    }
    output[length] = '\0';
    const DWORD waited = WaitForSingleObject(started.hProcess, 20000);
    printf("%s", output);
    const int passed = sent && waited == WAIT_OBJECT_0 && strstr(output, argv[1]) != NULL;
    printf("ctrl_c: sent=%d exited=%d found \"%s\"=%d\n", (int)sent, waited == WAIT_OBJECT_0,
           argv[1], strstr(output, argv[1]) != NULL);
    return passed ? 0 : 1;
}
