# oidcat serve as a container image: FROM scratch, the static release binary,
# CA certificates, a non-root user. Nothing else is in the image (no shell).
#
# The build context holds prebuilt static binaries, not the sources (the
# release workflow stages them from the dist archives; docs/install.md shows
# how to do the same by hand):
#   linux-amd64/oidcat      oidcat-x86_64-unknown-linux-musl.tar.xz
#   linux-arm64/oidcat      oidcat-aarch64-unknown-linux-musl.tar.xz
#   ca-certificates.crt     a PEM bundle (e.g. Debian's /etc/ssl/certs/ca-certificates.crt)
#
#   docker buildx build --platform linux/amd64,linux/arm64 -f Dockerfile CONTEXT
#   podman build -f Dockerfile CONTEXT          (this machine's architecture)
FROM scratch

# Set by the builder (buildx, buildah/podman) for each platform built.
ARG TARGETARCH
ARG VERSION=unknown
ARG REVISION=unknown
ARG CREATED=unknown
ARG SOURCE=https://github.com/oidcat/oidcat

LABEL org.opencontainers.image.title="oidcat" \
      org.opencontainers.image.description="Verify OpenID Connect bearer tokens for a gateway: oidcat serve (nginx auth_request, Caddy forward_auth, Traefik forwardAuth)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.source="${SOURCE}" \
      org.opencontainers.image.url="${SOURCE}" \
      org.opencontainers.image.documentation="${SOURCE}/blob/main/docs/install.md" \
      org.opencontainers.image.licenses="MIT"

# The binary carries Mozilla's roots; this bundle is added to them through
# SSL_CERT_FILE, and can be replaced by mounting a file over it (a private CA).
COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt
COPY linux-${TARGETARCH}/oidcat /usr/local/bin/oidcat

ENV PATH=/usr/local/bin \
    SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt \
    OIDCAT_LISTEN=0.0.0.0:8080

# nobody-style numeric ids: the image has no /etc/passwd to name them.
USER 65532:65532
EXPOSE 8080

ENTRYPOINT ["oidcat"]
CMD ["serve"]
