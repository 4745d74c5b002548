# localddb as a container: a Debian 12 build stage, then a final stage holding only the binary,
# the glibc files it loads and an empty /data (scripts/image_tree.sh assembles exactly that tree;
# CI runs the binary in it under chroot, since the build machines have no container daemon).
#   docker build -t localddb .
#   docker run -p 8000:8000 -v localddb-data:/data localddb
FROM debian:12 AS build
WORKDIR /src
COPY . .
RUN ./scripts/setup.sh \
 && cmake -S . -B build-static -G Ninja -DCMAKE_BUILD_TYPE=Release -DLOCALDDB_STATIC=ON -DLOCALDDB_TESTS=OFF \
 && cmake --build build-static --target localddb \
 && ./scripts/image_tree.sh build-static/localddb /image

FROM scratch
COPY --from=build /image /
USER 10001:10001
VOLUME /data
EXPOSE 8000
# Inside the container it listens on every interface; publish the port to choose who reaches it.
ENV LOCALDDB_HOST=0.0.0.0 LOCALDDB_PORT=8000 LOCALDDB_DB=/data/localddb.sqlite
HEALTHCHECK --interval=5s --timeout=3s --start-period=2s --retries=3 \
  CMD ["/usr/local/bin/localddb", "health", "--url", "http://127.0.0.1:8000"]
ENTRYPOINT ["/usr/local/bin/localddb"]
