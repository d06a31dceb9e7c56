# The standalone dashboard server: 'streamviz.jar serve'. Jobs publish to ws://<host>:3000/ingest.
# Build from the repository root after 'mvn -DskipTests package':
#   docker build -f deploy/docker/dashboard.Dockerfile -t streamviz-dashboard .
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 streamviz && mkdir -p /data && chown streamviz /data
COPY job/target/streamviz.jar /opt/streamviz/streamviz.jar
USER streamviz
ENV STREAMVIZ_DATA_DIR=/data STREAMVIZ_PORT=3000
# glibc gives each thread that allocates its own malloc arena, up to 8 per core, and their
# fragments kept the demo's RSS creeping up in the footprint runs of bench/README.md; 2 held it.
ENV MALLOC_ARENA_MAX=2
EXPOSE 3000
VOLUME /data
HEALTHCHECK --interval=10s --timeout=3s --retries=3 \
  CMD wget -q -O /dev/null http://localhost:3000/healthz || exit 1
ENTRYPOINT ["java", "-Xmx512m", "-jar", "/opt/streamviz/streamviz.jar", "serve"]
