# syntax=docker/dockerfile:1
# Build the guwen binary, then run it on a slim image. BuildKit cache mounts keep the cargo
# registry and the build directory between builds, so a source change rebuilds only Guwen's own
# crates, not its dependencies.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/usr/local/cargo/git \
    --mount=type=cache,target=/src/target \
    cargo build --release --locked --bin guwen \
 && cp target/release/guwen /usr/local/bin/guwen

FROM debian:bookworm-slim
# ca-certificates is left unpinned on purpose: a rebuild should pick up the distribution's
# current trust store.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/guwen --create-home guwen \
 && install -d -o guwen -g guwen /var/lib/guwen/data
COPY --from=build /usr/local/bin/guwen /usr/local/bin/guwen
USER 10001
WORKDIR /var/lib/guwen
# Listening beyond loopback needs configured keys (JWT_SECRET, JWT_PUBLIC_KEYS or JWT_JWKS_URL)
# and the audit key (GUWEN_AUDIT_KEY).
ENV BIND_ADDR=0.0.0.0:8080 \
    GUWEN_DATA_DIR=/var/lib/guwen/data
# The embedded SQLite database (when DATABASE_URL is not set) lives here.
VOLUME ["/var/lib/guwen/data"]
EXPOSE 8080
# GET /readyz on BIND_ADDR (the image has no curl): ready once the database answers.
HEALTHCHECK --interval=15s --timeout=6s --start-period=30s --retries=3 \
  CMD ["guwen", "healthcheck"]
ENTRYPOINT ["guwen"]
CMD ["serve"]
