package org.evident.stix;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The official STIX 2.1 JSON Schemas from ../shared, served to the validator from disk under
 * their published ids, so validation never touches the network.
 */
public final class StixSchemas {
  static final String PREFIX =
      "http://raw.githubusercontent.com/oasis-open/cti-stix2-json-schemas/stix2.1/";
  /** From a module folder (where Maven runs the tests) to the shared data. */
  public static final Path ROOT = Path.of("../../shared/stix2-schemas");

  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(
      SpecificationVersion.DRAFT_2020_12, b -> b.schemas(id -> {
        if (!id.startsWith(PREFIX)) {
          return null;
        }
        try {
          return Files.readString(ROOT.resolve(id.substring(PREFIX.length())));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }));

  /** Validation errors of a document against a schema file such as schemas/common/bundle.json. */
  public List<String> errors(String json, String schemaPath) {
    Schema s = registry.getSchema(SchemaLocation.of(PREFIX + schemaPath));
    return s.validate(json, InputFormat.JSON).stream().map(Error::toString).toList();
  }
}
