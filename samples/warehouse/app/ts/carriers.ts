// Carrier codes stored in sales.shipments.carrier, and how the tracking page shows them.

export enum Carrier {
  UPS = 'UPS',
  FedEx = 'FEDEX',
  DHL = 'DHL',
  USPS = 'USPS',
  RoyalMail = 'ROYALMAIL',
  DPD = 'DPD',
}

export const CARRIER_DISPLAY_NAMES: Record<Carrier, string> = {
  [Carrier.UPS]: 'UPS',
  [Carrier.FedEx]: 'FedEx',
  [Carrier.DHL]: 'DHL Express',
  [Carrier.USPS]: 'USPS',
  [Carrier.RoyalMail]: 'Royal Mail',
  [Carrier.DPD]: 'DPD',
};

// Plain-object map used by the legacy email templates (keys are the raw column values).
export const carrierTrackingUrl = {
  UPS: 'https://tracking.example.com/ups/',
  FEDEX: 'https://tracking.example.com/fedex/',
  DHL: 'https://tracking.example.com/dhl/',
  USPS: 'https://tracking.example.com/usps/',
  ROYALMAIL: 'https://tracking.example.com/royalmail/',
  DPD: 'https://tracking.example.com/dpd/',
} as const;

// tracking_no is a BIGINT above 2^53 for most carriers: keep it a string end to end.
export function trackingLink(carrier: Carrier, trackingNo: string): string {
  return `${carrierTrackingUrl[carrier]}${encodeURIComponent(trackingNo)}`;
}
