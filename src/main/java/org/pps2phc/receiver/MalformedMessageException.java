package org.pps2phc.receiver;

/** A sentence or frame that passed its checksum but does not say what its type must say. One line, printable. */
public final class MalformedMessageException extends Exception {
    public MalformedMessageException(String message) {
        super(message);
    }
}
