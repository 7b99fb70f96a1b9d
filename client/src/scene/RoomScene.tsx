/** The 3D room: a warm-lit round table, characters seated on the far side, my seat as the camera. */
import { Canvas, useThree } from "@react-three/fiber";
import { useEffect } from "react";
import { useUi } from "../state/store.js";
import { Avatar } from "./Avatar.js";
import { FrameLoop } from "./FrameLoop.js";
import { personSeat, TABLE, CAMERA, sidePanelWidth } from "./layout.js";
import { QUALITY } from "./quality.js";

function CameraAtMySeat() {
  const camera = useThree((s) => s.camera);
  const size = useThree((s) => s.size);
  const seat = useUi((s) => s.room.people[s.sessionId]?.seat ?? 0);
  useEffect(() => {
    // centre the table in the part of the canvas the side panel leaves free
    const shift = sidePanelWidth(size.width) / 2;
    if ("setViewOffset" in camera) camera.setViewOffset(size.width, size.height, shift, 0, size.width, size.height);
    const p = personSeat(seat);
    const r = Math.hypot(p.x, p.z);
    const k = (r + CAMERA.back) / r;
    camera.position.set(p.x * k, CAMERA.height, p.z * k);
    camera.lookAt(0, CAMERA.lookAtHeight, 0);
  }, [camera, seat, size]);
  return null;
}

function Table() {
  return (
    <group>
      <mesh position={[0, TABLE.height - 0.025, 0]} receiveShadow>
        <cylinderGeometry args={[TABLE.radius, TABLE.radius, 0.05, 48]} />
        <meshStandardMaterial color="#8b5e3c" roughness={0.55} />
      </mesh>
      <mesh position={[0, TABLE.height / 2, 0]}>
        <cylinderGeometry args={[0.08, 0.12, TABLE.height - 0.05, 16]} />
        <meshStandardMaterial color="#5c3b22" roughness={0.6} />
      </mesh>
      <mesh position={[0, 0.02, 0]}>
        <cylinderGeometry args={[0.4, 0.45, 0.04, 24]} />
        <meshStandardMaterial color="#5c3b22" roughness={0.6} />
      </mesh>
      {/* a candle for warmth */}
      <mesh position={[0, TABLE.height + 0.06, 0]}>
        <cylinderGeometry args={[0.03, 0.03, 0.12, 12]} />
        <meshStandardMaterial color="#f3ead8" emissive="#6b4a1f" emissiveIntensity={0.3} />
      </mesh>
      <pointLight position={[0, TABLE.height + 0.2, 0]} intensity={1.2} distance={3} color="#ffb46b" />
    </group>
  );
}

function RoomShell() {
  return (
    <group>
      <mesh rotation={[-Math.PI / 2, 0, 0]}>
        <circleGeometry args={[6, 48]} />
        <meshStandardMaterial color="#3d2f2a" roughness={0.9} />
      </mesh>
      <mesh position={[0, 2.5, -4.5]}>
        <planeGeometry args={[14, 5]} />
        <meshStandardMaterial color="#4a3a4f" roughness={1} />
      </mesh>
    </group>
  );
}

/** `?avatars=off` draws the room without avatars (the empty-room baseline of the render benchmark). */
const SHOW_AVATARS = typeof location === "undefined" || new URLSearchParams(location.search).get("avatars") !== "off";

export function RoomScene({ onNominate }: { onNominate?: (id: string) => void }) {
  const characters = useUi((s) => s.room.characters);
  const list = SHOW_AVATARS ? Object.values(characters).sort((a, b) => a.seat - b.seat) : [];
  // a character who left leaves a gap; one who joins takes it: the arc spans every seat in use
  const seats = list.reduce((n, c) => Math.max(n, c.seat + 1), list.length);
  return (
    <Canvas
      camera={{ fov: 42, near: 0.05, far: 40 }}
      dpr={QUALITY.dpr}
      gl={{ antialias: QUALITY.antialias, powerPreference: "high-performance" }}
      onCreated={({ gl }) => gl.setClearColor("#241c22")}
    >
      <CameraAtMySeat />
      <hemisphereLight args={["#ffe9d2", "#3a2a30", 0.9]} />
      <directionalLight position={[1.5, 3, 2.5]} intensity={1.6} color="#fff1e0" />
      <directionalLight position={[-2, 2, -1]} intensity={0.5} color="#b7c7ff" />
      <RoomShell />
      <Table />
      {list.map((c) => (
        <Avatar key={c.id} id={c.id} url={c.avatarUrl} seat={c.seat} seats={seats} onNominate={onNominate} />
      ))}
      <FrameLoop />
    </Canvas>
  );
}
