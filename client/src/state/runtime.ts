/**
 * Fast data shared by the render loop, outside React: the audio engine, each
 * avatar's rig, and the world positions of every head at the table.
 */
import { Vector3 } from "three";
import type { AudioEngine } from "../audio/AudioEngine.js";
import type { AvatarRig } from "../avatar/AvatarRig.js";
import type { HeadSender } from "../people/headSender.js";

export interface Runtime {
  audio: AudioEngine | null;
  rigs: Map<string, AvatarRig>;
  /** other people's avatar rigs by session id */
  people: Map<string, AvatarRig>;
  /** where my head points goes to the room through this (desktop camera or headset) */
  head: HeadSender | null;
  /** head (eye) positions of characters and people by id, world space */
  heads: Map<string, Vector3>;
  /** my camera position: where characters look when they look at me */
  camera: Vector3;
  fps: number;
  /** draw calls and triangles of the last frame */
  render: { calls: number; triangles: number };
  /** each avatar's file and whether it loaded */
  avatars: Map<string, { url: string; loaded: boolean; error: string }>;
}

export const runtime: Runtime = {
  audio: null,
  rigs: new Map(),
  people: new Map(),
  head: null,
  heads: new Map(),
  camera: new Vector3(0, 1.2, 1.6),
  fps: 0,
  render: { calls: 0, triangles: 0 },
  avatars: new Map(),
};
