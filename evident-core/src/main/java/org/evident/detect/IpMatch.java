package org.evident.detect;

import java.util.ArrayList;
import java.util.List;
import org.evident.net.Cidr;
import org.evident.net.IpAddress;

/** {@code @ipMatch}: the target is an address inside one of a comma-separated list of blocks. */
final class IpMatch implements Operator {
  private final List<Cidr> blocks = new ArrayList<>();

  IpMatch(String argument) {
    for (String part : argument.split(",")) {
      if (!part.isBlank()) {
        blocks.add(Cidr.parse(part.trim()));
      }
    }
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("@ipMatch needs at least one address or block");
    }
  }

  @Override
  public String name() {
    return "ipMatch";
  }

  @Override
  public String find(String input) {
    IpAddress ip = IpAddress.parse(input.trim());
    if (ip == null) {
      return null;
    }
    for (Cidr c : blocks) {
      if (c.contains(ip)) {
        return input;
      }
    }
    return null;
  }
}
