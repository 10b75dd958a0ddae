/**
 * The channels a conversation's messages travel on (./channel.ts, the seam): found by name, or by
 * a carrier address (the prefix Twilio writes, e.g. `whatsapp:`), so a recorded send and an
 * inbound webhook each name their channel without another field.
 */
import type { Channel, ChannelName } from './channel';
import { sms } from './sms';
import { whatsapp } from './whatsapp';

export type { CarrierRequest, Channel, ChannelName } from './channel';
export { CHANNEL_NAMES } from './channel';

const CHANNELS: Readonly<Record<ChannelName, Channel>> = { sms, whatsapp };

export const channelOf = (name: ChannelName): Channel => CHANNELS[name];

/** The channel an address belongs to; undefined for a channel this system does not speak. */
export const channelOfAddress = (address: string): Channel | undefined =>
  Object.values(CHANNELS).find((channel) => channel.ownsAddress(address));

/** The channel of a recorded send, by its `to` or `from`: the channels built those addresses, so none is unknown. */
export function channelOfRecorded(address: string): Channel {
  const channel = channelOfAddress(address);
  if (!channel) throw new Error(`no channel has the address ${address}`);
  return channel;
}
