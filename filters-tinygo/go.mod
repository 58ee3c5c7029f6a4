module github.com/pwtck/pwtck/filters-tinygo

go 1.22

require (
	github.com/stretchr/testify v1.9.0
	github.com/tetratelabs/proxy-wasm-go-sdk v0.24.0
)

require (
	github.com/davecgh/go-spew v1.1.1 // indirect
	github.com/pmezard/go-difflib v1.0.0 // indirect
	github.com/tetratelabs/wazero v1.7.2 // indirect
	gopkg.in/yaml.v3 v3.0.1 // indirect
)
