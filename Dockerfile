# syntax=docker/dockerfile:1
# Build: a static binary (CGO_ENABLED=0: the SQLite driver is pure Go) with
# the fonts, templates and web assets embedded.
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
# go.mod replaces three modules by patched copies in third_party/ (README
# there): they must be present before the modules are downloaded.
COPY third_party ./third_party
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 GOOS=linux go build -trimpath -ldflags="-s -w" -o /out/penaltydoc ./server \
 && mkdir -p /out/data

# Run: no shell, no package manager, a non-root user; data in /data.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/penaltydoc /penaltydoc
COPY --from=build --chown=nonroot:nonroot /out/data /data
ENV PENALTYDOC_ADDR=:8080 \
    PENALTYDOC_DB=sqlite:/data/penaltydoc.db
EXPOSE 8080
VOLUME ["/data"]
USER nonroot:nonroot
ENTRYPOINT ["/penaltydoc"]
