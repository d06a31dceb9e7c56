package io.streamviz.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Docker and Kubernetes files parse and hold what they must. Nothing here runs them: there is
 * no Docker engine or Kubernetes cluster where the tests run.
 */
class DeploymentFilesTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    private static final Path ROOT = Path.of(System.getProperty("streamviz.root"));
    private static final Path DOCKER = ROOT.resolve("deploy/docker");
    private static final Path K8S = ROOT.resolve("deploy/k8s");

    @Test
    void composeFileDefinesEveryServiceWithHealthChecksAndRestartPolicies() throws Exception {
        JsonNode compose = YAML.readTree(DOCKER.resolve("docker-compose.yml").toFile());

        JsonNode services = compose.get("services");
        assertThat(fieldNames(services))
                .containsExactlyInAnyOrder(
                        "kafka", "timescaledb", "dashboard", "jobmanager", "taskmanager");
        for (String name : List.of("kafka", "timescaledb", "dashboard", "jobmanager")) {
            assertThat(services.get(name).has("healthcheck")).as(name + " healthcheck").isTrue();
        }
        services.fields()
                .forEachRemaining(
                        service ->
                                assertThat(service.getValue().path("restart").asText())
                                        .as(service.getKey() + " restart policy")
                                        .isEqualTo("unless-stopped"));
        assertThat(fieldNames(compose.get("volumes")))
                .contains("checkpoints", "savepoints", "database");
        assertThat(services.at("/kafka/environment/KAFKA_PROCESS_ROLES").asText())
                .isEqualTo("broker,controller");
        assertThat(services.at("/jobmanager/command").asText())
                .contains("--dashboard-url ws://dashboard:3000/ingest");
    }

    @Test
    void composeBuildsFromDockerfilesThatExistAndCopyTheBuiltJars() throws Exception {
        JsonNode services =
                YAML.readTree(DOCKER.resolve("docker-compose.yml").toFile()).get("services");

        for (String name : List.of("dashboard", "jobmanager", "taskmanager")) {
            JsonNode build = services.get(name).get("build");
            Path context = DOCKER.resolve(build.get("context").asText()).normalize();
            Path dockerfile = context.resolve(build.get("dockerfile").asText());
            assertThat(dockerfile).as(name + " Dockerfile").exists();
            for (String source : copySources(dockerfile)) {
                // The jars exist after 'mvn package'; the job module's shade plugin names them.
                assertThat(source).isIn("job/target/streamviz.jar", "job/target/streamviz-job.jar");
                assertThat(ROOT.resolve("job/pom.xml"))
                        .content()
                        .contains(Path.of(source).getFileName().toString());
            }
        }
        assertThat(DOCKER.resolve("job.Dockerfile"))
                .content()
                .contains("FROM flink:2.2.1-java17", "/opt/flink/usrlib/streamviz-job.jar");
    }

    @Test
    void flinkDeploymentUpgradesThroughSavepointsWithHighAvailability() throws Exception {
        JsonNode deployment = YAML.readTree(K8S.resolve("flink-deployment.yaml").toFile());

        assertThat(deployment.get("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(deployment.get("kind").asText()).isEqualTo("FlinkDeployment");
        JsonNode spec = deployment.get("spec");
        assertThat(spec.get("flinkVersion").asText()).isEqualTo("v2_2");
        assertThat(spec.at("/job/upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(spec.at("/job/jarURI").asText())
                .isEqualTo("local:///opt/flink/usrlib/streamviz-job.jar");
        assertThat(spec.at("/job/entryClass").asText()).isEqualTo("io.streamviz.job.EcommerceJob");
        assertThat(fieldNames(spec.get("flinkConfiguration")))
                .contains(
                        "execution.checkpointing.dir",
                        "execution.checkpointing.savepoint-dir",
                        "high-availability.type",
                        "high-availability.storageDir",
                        "kubernetes.operator.periodic.savepoint.interval",
                        "kubernetes.operator.savepoint.history.max.count",
                        "kubernetes.operator.savepoint.history.max.age");
        String claim =
                spec.at("/podTemplate/spec/volumes/0/persistentVolumeClaim/claimName").asText();
        assertThat(
                        documents(K8S.resolve("flink-storage-pvc.yaml"))
                                .get(0)
                                .at("/metadata/name")
                                .asText())
                .isEqualTo(claim);
    }

    @Test
    void dashboardServiceAndIngressReachTheServerAndKeepWebSocketsOpen() throws Exception {
        List<JsonNode> documents = documents(K8S.resolve("dashboard.yaml"));

        JsonNode deployment = ofKind(documents, "Deployment");
        JsonNode service = ofKind(documents, "Service");
        JsonNode ingress = ofKind(documents, "Ingress");
        JsonNode container = deployment.at("/spec/template/spec/containers/0");
        assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/healthz");
        assertThat(container.at("/ports/0/containerPort").asInt()).isEqualTo(3000);
        assertThat(deployment.at("/spec/selector/matchLabels"))
                .isEqualTo(service.at("/spec/selector"));
        assertThat(ingress.at("/spec/rules/0/http/paths/0/backend/service/name").asText())
                .isEqualTo(service.at("/metadata/name").asText());
        assertThat(
                        ingress.at("/metadata/annotations")
                                .path("nginx.ingress.kubernetes.io/proxy-read-timeout")
                                .asInt())
                .isGreaterThanOrEqualTo(3600);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<JsonNode> documents(Path file) throws Exception {
        try (MappingIterator<JsonNode> docs =
                YAML.readerFor(JsonNode.class).readValues(file.toFile())) {
            return docs.readAll();
        }
    }

    private static JsonNode ofKind(List<JsonNode> documents, String kind) {
        return documents.stream()
                .filter(doc -> doc.path("kind").asText().equals(kind))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " in " + documents));
    }

    private static List<String> copySources(Path dockerfile) throws Exception {
        List<String> sources = new ArrayList<>();
        Matcher copy =
                Pattern.compile("(?m)^COPY\\s+(\\S+)\\s+\\S+$")
                        .matcher(Files.readString(dockerfile));
        while (copy.find()) {
            sources.add(copy.group(1));
        }
        assertThat(sources).as("COPY lines of " + dockerfile).isNotEmpty();
        return sources;
    }
}
