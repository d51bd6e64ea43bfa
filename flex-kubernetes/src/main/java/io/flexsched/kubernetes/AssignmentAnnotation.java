package io.flexsched.kubernetes;

import io.flexsched.model.Assignment;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Slice;
import java.util.ArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code flexsched.io/assignment} annotation: where a pod went, device by device, in the
 * shape of {@code flex plan}'s placed line. Device plugins read it; Flex rebuilds its state from it.
 */
final class AssignmentAnnotation {
  static final String KEY = "flexsched.io/assignment";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private AssignmentAnnotation() {}

  static String write(Assignment a) {
    ObjectNode root = JSON.createObjectNode();
    root.put("node", a.node());
    ArrayNode devices = root.putArray("devices");
    for (Slice s : a.slices()) {
      ObjectNode d = devices.addObject();
      d.put("index", s.device());
      d.put("milli", s.milli());
      d.put("memoryMiB", s.memoryMiB());
      if (s.profile() != null) {
        d.put("profile", s.profile());
        d.put("start", s.start());
      }
    }
    return JSON.writeValueAsString(root);
  }

  /**
   * Reads an annotation written by {@link #write}.
   *
   * @throws InvalidSpecException naming the annotation and its value when it is not such an object
   */
  static Assignment read(String task, String json) {
    try {
      JsonNode root = JSON.readTree(json);
      var slices = new ArrayList<Slice>();
      for (JsonNode d : root.get("devices")) {
        JsonNode profile = d.get("profile");
        slices.add(new Slice(d.get("index").asInt(), d.get("milli").asInt(), d.get("memoryMiB").asLong(),
            profile == null || profile.isNull() ? null : profile.asString(),
            d.has("start") ? d.get("start").asInt() : -1));
      }
      return new Assignment(task, root.get("node").asString(), slices);
    } catch (InvalidSpecException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InvalidSpecException("annotation " + KEY, NodeMapping.abbreviate(json), "must be a Flex assignment object");
    }
  }
}
