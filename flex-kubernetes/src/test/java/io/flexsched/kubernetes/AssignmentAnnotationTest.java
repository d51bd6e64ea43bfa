package io.flexsched.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flexsched.model.Assignment;
import io.flexsched.model.InvalidSpecException;
import io.flexsched.model.Slice;
import java.util.List;
import org.junit.jupiter.api.Test;

class AssignmentAnnotationTest {
  @Test
  void writesTheContractsShapeAndReadsItBack() {
    var a = new Assignment("ns/p", "n1", List.of(Slice.share(0, 500, 4096), new Slice(3, 1000, 16384, "3g.20gb", 4)));
    String json = AssignmentAnnotation.write(a);
    assertThat(json).isEqualTo("{\"node\":\"n1\",\"devices\":[{\"index\":0,\"milli\":500,\"memoryMiB\":4096},"
        + "{\"index\":3,\"milli\":1000,\"memoryMiB\":16384,\"profile\":\"3g.20gb\",\"start\":4}]}");
    assertThat(AssignmentAnnotation.read("ns/p", json)).isEqualTo(a);
  }

  @Test
  void aMalformedAnnotationIsNamed() {
    assertThatThrownBy(() -> AssignmentAnnotation.read("ns/p", "{\"node\":"))
        .isInstanceOf(InvalidSpecException.class).hasMessageContaining("flexsched.io/assignment");
  }
}
