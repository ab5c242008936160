package com.photoprint.fulfilment;

/** Values of sales.shipments.shipment_state, as written by the carrier webhook consumer. */
public enum ShipmentState {
    LABEL_CREATED(1),
    IN_TRANSIT(2),
    OUT_FOR_DELIVERY(3),
    DELIVERED(4),
    RETURNED(5),
    LOST(6);

    private final int code;

    ShipmentState(int code) {
        this.code = code;
    }

    public int getCode() {
        return code;
    }

    public boolean isTerminal() {
        return this == DELIVERED || this == RETURNED || this == LOST;
    }

    public static ShipmentState fromCode(int code) {
        for (ShipmentState state : values()) {
            if (state.code == code) {
                return state;
            }
        }
        throw new IllegalArgumentException("Unknown shipment_state " + code);
    }
}
