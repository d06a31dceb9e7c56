# The job image: Flink 2.2.1 with streamviz-job.jar in usrlib, for application mode or for the
# Kubernetes operator (jarURI local:///opt/flink/usrlib/streamviz-job.jar).
# Build from the repository root after 'mvn -DskipTests package':
#   docker build -f deploy/docker/job.Dockerfile -t streamviz-job .
FROM flink:2.2.1-java17
RUN mkdir -p /opt/flink/usrlib
COPY job/target/streamviz-job.jar /opt/flink/usrlib/streamviz-job.jar
