module enough.example/enough

go 1.21
