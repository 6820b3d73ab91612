# The two commands a newcomer needs are `make run` and `make test`.
.PHONY: run demo test build release size lint clean bench-aktenplan bench-upload bench-search bench-ocr bench-rollout bench-memory bench-postkorb bench-ingest bench-ablage

run:        ## install what is missing, build (release) and start on embedded defaults
	./scripts/run.sh

demo:       ## like run, with one demo account per role and municipality
	./scripts/run.sh --demo

test:       ## every test: lints, unit, integration, browser
	./scripts/test.sh

build:      ## debug build of WASM bundle and server into target/
	./scripts/setup.sh && ./scripts/build.sh debug

release:    ## release build with wasm-opt
	./scripts/setup.sh && ./scripts/build.sh release

size:       ## release bundle, then its sizes per file and per route (raw, gzip, brotli) against bundle-budget.toml
	./scripts/setup.sh && ./scripts/build.sh release site && ./scripts/bundle-size.sh

lint:
	cargo fmt --all -- --check && cargo clippy --workspace --exclude frontend --all-targets -- -D warnings \
	  && cargo clippy -p frontend --target wasm32-unknown-unknown -- -D warnings

clean:
	cargo clean

bench-aktenplan: ## release build, then time the explorer on a 10,000-position plan against baselines
	./scripts/bench-aktenplan.sh

bench-upload: ## release build, then time 1 GiB of uploads against cat | sha256sum, and 20 concurrent clients
	./scripts/bench-upload.sh

bench-search: ## release build, then index 100,000 generated documents and time the search against SQLite FTS5
	./scripts/bench-search.sh

bench-ocr:  ## release build, then OCR 24 scanned pages through the job system against parallel tesseract
	./scripts/bench-ocr.sh $(PAGES)

bench-rollout: ## release build, then time the rollout dashboard on a year with 100,000 documents
	./scripts/bench-rollout.sh $(DOCUMENTS)

bench-memory: ## release build, then the server's memory after a day's post through the browser, against glibc defaults
	./scripts/bench-memory.sh

bench-postkorb: ## release build, then time the Postkorb with 2,000 items and 50 deputised colleagues against a plain SQL count
	./scripts/bench-postkorb.sh $(DOCUMENTS)

bench-ingest: ## release build, then the same letters through the browser, a Scan-Ordner and a Postfach, against Paperless-ngx's rate
	./scripts/bench-ingest.sh $(DOCUMENTS)

bench-ablage: ## release build, then top-1/top-3 of the filing suggestion on 100,000 generated documents (learn from the first 80 %) and its speed
	cargo run --release --quiet -p bench --bin bench-ablage -- $(DOCUMENTS)
