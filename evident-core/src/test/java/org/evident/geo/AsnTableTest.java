package org.evident.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.util.Arrays;
import org.evident.net.IpScope;
import org.junit.jupiter.api.Test;

class AsnTableTest {
  static final String V4 = "16777216,16777471,13335,\"Cloudflare, Inc.\"\n"
      + "134744064,134744319,15169,Google LLC\n"
      + "not,a,row\n";
  static final String V6 = "42541956101370907050197289607612071936,"
      + "42541956180599069564461627201156022271,15169,Google LLC\n";

  @Test
  void findsRangesAndSurvivesTheBinaryCopy() throws IOException {
    AsnTable t = AsnTable.read(new StringReader(V4), false);
    assertThat(t.size()).isEqualTo(2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    t.writeBinary(out);
    AsnTable copy = AsnTable.readBinary(new ByteArrayInputStream(out.toByteArray()));
    for (AsnTable x : new AsnTable[] {t, copy}) {
      int i = x.find(134744072L); // 8.8.8.8
      assertThat(x.asn(i)).isEqualTo(15169);
      assertThat(x.organisation(i)).isEqualTo("Google LLC");
      assertThat(x.organisation(x.find(16777217L))).isEqualTo("Cloudflare, Inc.");
      assertThat(x.find(16777472L)).isEqualTo(-1);
      assertThat(x.find(0)).isEqualTo(-1);
    }
    byte[] cut = Arrays.copyOf(out.toByteArray(), out.size() - 5);
    assertThatThrownBy(() -> AsnTable.readBinary(new ByteArrayInputStream(cut)))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> AsnTable.readBinary(new ByteArrayInputStream(new byte[20])))
        .isInstanceOf(IOException.class);
  }

  @Test
  void locatorCombinesScopesCountriesAndAsns() throws IOException {
    GeoLocator g = new GeoLocator(null, AsnTable.read(new StringReader(V4), false),
        AsnTable.read(new StringReader(V6), true), "test data");
    assertThat(g.locate("8.8.8.8")).isEqualTo(new Location(IpScope.PUBLIC, null, 15169,
        "Google LLC"));
    assertThat(g.locate("2001:4860::1").asn()).isEqualTo(15169);
    assertThat(g.locate("10.0.0.1")).isEqualTo(Location.special(IpScope.PRIVATE));
    assertThat(g.locate("not-an-ip")).isEqualTo(Location.NOT_AN_ADDRESS);
    assertThat(g.locate("9.9.9.9")).as("public, not in the tables").isEqualTo(Location.UNKNOWN);
    assertThat(g.locate("8.8.8.8")).isSameAs(g.locate("8.8.8.8"));
  }
}
