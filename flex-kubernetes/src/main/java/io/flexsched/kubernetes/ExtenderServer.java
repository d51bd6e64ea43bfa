package io.flexsched.kubernetes;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Task;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The kube-scheduler extender protocol ({@code k8s.io/kube-scheduler/extender/v1}, v1.20) over
 * HTTP: {@code POST /filter}, {@code /prioritize}, {@code /bind}, {@code /preempt}, with the Go
 * field names. A request that is too large, malformed or of the wrong shape is answered 400 with
 * one line; it changes nothing.
 */
final class ExtenderServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ExtenderServer.class.getName());
  static final int MAX_BODY = 8 << 20;
  private static final long DECISION_SECONDS = 4;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  static {
    // The JDK server writes headers and body separately; with Nagle's algorithm on, each answer
    // waits for the client's delayed ACK (about 40 ms), which kube-scheduler pays on every verb.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
  }

  private final KubeScheduler scheduler;
  private final HttpServer server;
  private final Map<String, java.util.concurrent.atomic.AtomicLong> calls = new java.util.concurrent.ConcurrentHashMap<>();
  private final ExecutorService workers = Executors.newFixedThreadPool(4, r -> {
    Thread t = new Thread(r, "flex-extender");
    t.setDaemon(true);
    return t;
  });

  /** A malformed request: answered 400 with this message. */
  static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }

  ExtenderServer(KubeScheduler scheduler, InetSocketAddress address, @Nullable SSLContext tls) throws IOException {
    this.scheduler = scheduler;
    if (tls != null) {
      var https = HttpsServer.create(address, 64);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = https;
    } else {
      server = HttpServer.create(address, 64);
    }
    server.setExecutor(workers);
    server.createContext("/", this::handle);
    server.start();
    LOG.info("extender on " + (tls != null ? "https" : "http") + "://" + address.getHostString() + ":" + port());
  }

  /** How many requests named {@code verb} arrived. */
  long calls(String verb) {
    var n = calls.get(verb);
    return n == null ? 0 : n.get();
  }

  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String path = ex.getRequestURI().getPath();
      String verb = path.substring(path.lastIndexOf('/') + 1);
      try {
        if (!"POST".equals(ex.getRequestMethod())) {
          throw new BadRequest("only POST is served");
        }
        calls.computeIfAbsent(verb, v -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
        JsonNode body = read(ex.getRequestBody());
        JsonNode answer = switch (verb) {
          case "filter" -> filter(body);
          case "prioritize" -> prioritize(body);
          case "bind" -> bind(body);
          case "preempt" -> preempt(body);
          default -> throw new BadRequest("unknown verb '" + verb + "': filter, prioritize, bind or preempt");
        };
        respond(ex, 200, JSON.writeValueAsBytes(answer));
      } catch (BadRequest | InvalidSpecException e) {
        respond(ex, 400, (e.getMessage().replaceAll("\\s+", " ") + "\n").getBytes(StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        LOG.warning("extender " + verb + " failed: " + e);
        respond(ex, 500, ("internal error: " + e.getClass().getSimpleName() + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
  }

  private static JsonNode read(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY + 1);
    if (body.length > MAX_BODY) {
      throw new BadRequest("request body larger than " + MAX_BODY + " bytes");
    }
    try {
      JsonNode node = JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw new BadRequest("request body must be a JSON object");
      }
      return node;
    } catch (RuntimeException e) {
      if (e instanceof BadRequest b) {
        throw b;
      }
      throw new BadRequest("request body is not JSON: " + Kubeconfigs.firstLine(e.getMessage()));
    }
  }

  private static void respond(HttpExchange ex, int code, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", code == 200 ? "application/json" : "text/plain; charset=utf-8");
    ex.sendResponseHeaders(code, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
  }

  private <T> T decide(java.util.concurrent.Callable<T> work) {
    return scheduler.onEngine(work, DECISION_SECONDS);
  }

  private static Pod pod(JsonNode args) {
    JsonNode p = args.get("Pod");
    if (p == null || !p.isObject() || !p.path("metadata").path("name").isString()) {
      throw new BadRequest("field Pod must be a pod object with metadata.name");
    }
    try {
      Pod pod = Serialization.unmarshal(p.toString(), Pod.class);
      if (pod.getMetadata().getNamespace() == null) {
        pod.getMetadata().setNamespace("default");
      }
      if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
        throw new BadRequest("field Pod.spec.containers is missing");
      }
      return pod;
    } catch (RuntimeException e) {
      if (e instanceof BadRequest b) {
        throw b;
      }
      throw new BadRequest("field Pod is not a pod: " + Kubeconfigs.firstLine(e.getMessage()));
    }
  }

  private static List<String> nodeNames(JsonNode args) {
    var names = new ArrayList<String>();
    JsonNode list = args.get("NodeNames");
    if (list != null && !list.isNull()) {
      if (!list.isArray()) {
        throw new BadRequest("field NodeNames must be an array of strings");
      }
      for (JsonNode n : list) {
        if (!n.isString()) {
          throw new BadRequest("field NodeNames must be an array of strings, has " + n);
        }
        names.add(n.asString());
      }
      return names;
    }
    JsonNode nodes = args.path("Nodes").path("items");
    if (!nodes.isArray()) {
      throw new BadRequest("one of NodeNames or Nodes.items is required");
    }
    for (JsonNode n : nodes) {
      JsonNode name = n.path("metadata").path("name");
      if (!name.isString()) {
        throw new BadRequest("field Nodes.items[].metadata.name must be a string");
      }
      names.add(name.asString());
    }
    return names;
  }

  private JsonNode filter(JsonNode args) {
    Pod pod = pod(args);
    List<String> names = nodeNames(args);
    ObjectNode out = JSON.createObjectNode();
    Map<String, String> verdicts;
    try {
      verdicts = decide(() -> scheduler.extender().filter(scheduler.extender().task(pod), names));
    } catch (InvalidSpecException e) {
      // A pod whose request Flex cannot read fits nowhere: the attempt fails with the reason.
      out.putNull("NodeNames");
      out.put("Error", "invalid request: " + e.getMessage());
      return out;
    }
    ArrayNode fit = out.putArray("NodeNames");
    ObjectNode failed = out.putObject("FailedNodes");
    verdicts.forEach((n, why) -> {
      if (why.isEmpty()) {
        fit.add(n);
      } else {
        failed.put(n, why);
      }
    });
    if (!args.path("Nodes").isMissingNode() && !args.path("Nodes").isNull() && args.get("NodeNames") == null) {
      ArrayNode items = out.putObject("Nodes").putArray("items");
      for (JsonNode n : args.path("Nodes").path("items")) {
        if (verdicts.getOrDefault(n.path("metadata").path("name").asString(), "x").isEmpty()) {
          items.add(n);
        }
      }
    }
    out.put("Error", "");
    return out;
  }

  private JsonNode prioritize(JsonNode args) {
    Pod pod = pod(args);
    List<String> names = nodeNames(args);
    Map<String, Integer> scores = decide(() -> scheduler.extender().prioritize(scheduler.extender().task(pod), names));
    ArrayNode out = JSON.createArrayNode();
    scores.forEach((n, s) -> out.addObject().put("Host", n).put("Score", s));
    return out;
  }

  private JsonNode bind(JsonNode args) {
    String name = text(args, "PodName");
    String ns = text(args, "PodNamespace");
    String uid = text(args, "PodUID");
    String node = text(args, "Node");
    Pod pod = scheduler.pod(ns + "/" + name);
    ObjectNode out = JSON.createObjectNode();
    if (pod == null || !uid.equals(pod.getMetadata().getUid())) {
      out.put("Error", "pod " + ns + "/" + name + " with UID " + uid + " is not known");
      return out;
    }
    String error;
    try {
      error = scheduler.onEngine(() -> scheduler.loop().bindFor(pod, node), DECISION_SECONDS).get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      error = "interrupted";
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      error = "binding did not finish: " + e;
    }
    out.put("Error", error);
    return out;
  }

  private JsonNode preempt(JsonNode args) {
    Pod pod = pod(args);
    JsonNode meta = args.get("NodeNameToMetaVictims");
    JsonNode full = args.get("NodeNameToVictims");
    JsonNode source = meta != null && meta.isObject() ? meta : full;
    if (source == null || !source.isObject()) {
      throw new BadRequest("one of NodeNameToMetaVictims or NodeNameToVictims is required");
    }
    var candidates = new ArrayList<String>(source.propertyNames());
    Map<String, List<String>> chosen = decide(() -> scheduler.extender().preempt(scheduler.extender().task(pod), candidates));
    ObjectNode out = JSON.createObjectNode();
    ObjectNode byNode = out.putObject("NodeNameToMetaVictims");
    chosen.forEach((node, uids) -> {
      ObjectNode v = byNode.putObject(node);
      ArrayNode pods = v.putArray("Pods");
      uids.forEach(u -> pods.addObject().put("UID", u));
      v.put("NumPDBViolations", 0);
    });
    LOG.info("preempt " + PodMapping.id(pod) + ": " + chosen);
    return out;
  }

  private static String text(JsonNode args, String field) {
    JsonNode v = args.get(field);
    if (v == null || !v.isString() || v.asString().isEmpty()) {
      throw new BadRequest("field " + field + " must be a non-empty string");
    }
    return v.asString();
  }

  @Override
  public void close() {
    server.stop(0);
    workers.shutdownNow();
  }
}
