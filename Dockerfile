# Build the guwen binary, then run it on a slim image.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin guwen

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /var/lib/guwen --create-home guwen
COPY --from=build /src/target/release/guwen /usr/local/bin/guwen
USER guwen
WORKDIR /var/lib/guwen
# Listening beyond loopback needs configured keys (JWT_SECRET, JWT_PUBLIC_KEYS or JWT_JWKS_URL)
# and the audit key (GUWEN_AUDIT_KEY).
ENV BIND_ADDR=0.0.0.0:8080 \
    GUWEN_DATA_DIR=/var/lib/guwen/data
EXPOSE 8080
ENTRYPOINT ["guwen"]
CMD ["serve"]
