/** One avatar in its place at the table (a character's or a person's): loads the VRM, builds its rig, registers it for the frame loop. */
import { useEffect, useState } from "react";
import { withInvite } from "../net/place.js";
import type { VRM } from "@pixiv/three-vrm";
import { VRMUtils } from "@pixiv/three-vrm";
import { loadVrm } from "../avatar/loadVrm.js";
import { AvatarRig } from "../avatar/AvatarRig.js";
import { runtime } from "../state/runtime.js";
import { seatPose, TABLE } from "./layout.js";

interface Props {
  id: string;
  url: string;
  seat: number;
  /** where the rig is registered for the frame loop: characters' or people's */
  rigs: Map<string, AvatarRig>;
  /** a click (or a controller's trigger) on the avatar */
  onPick?: (id: string) => void;
}

export function Avatar({ id, url, seat, rigs, onPick }: Props) {
  const [vrm, setVrm] = useState<VRM | null>(null);
  const [error, setError] = useState("");

  useEffect(() => {
    let alive = true;
    let loaded: VRM | null = null;
    runtime.avatars.set(id, { url, loaded: false, error: "" });
    loadVrm(withInvite(url)).then((v) => {
      if (!alive) { VRMUtils.deepDispose(v.scene); return; }
      loaded = v;
      runtime.avatars.set(id, { url, loaded: true, error: "" });
      setError("");
      setVrm(v);
    }, (err: unknown) => {
      const message = err instanceof Error ? err.message : String(err);
      runtime.avatars.set(id, { url, loaded: false, error: message });
      if (alive) setError(message);
    });
    return () => {
      alive = false;
      rigs.delete(id);
      if (loaded) VRMUtils.deepDispose(loaded.scene);
    };
  }, [id, url, rigs]);

  useEffect(() => {
    if (!vrm) return;
    rigs.set(id, new AvatarRig(id, vrm, seat + 1));
    return () => { rigs.delete(id); };
  }, [id, vrm, seat, rigs]);

  if (error) console.warn(error);
  const pose = seatPose(seat);
  return (
    <group position={[pose.x, 0, pose.z]} rotation={[0, pose.yaw, 0]}>
      <Chair />
      {vrm && (
        <primitive
          object={vrm.scene}
          // hips rest on the seat: the avatar root sits at floor level, pushed back onto the chair
          position={[0, TABLE.seatHeight - hipsSeatedDrop(vrm), -0.02]}
          onClick={(e: { stopPropagation(): void; delta?: number }) => {
            // the end of a drag to look around is not a click
            if (!onPick || (e.delta ?? 0) > 4) return;
            e.stopPropagation();
            onPick(id);
          }}
        />
      )}
    </group>
  );
}

/** How far to lower a standing avatar so its hips rest on a seat, m (the hip joint sits above the seat surface). */
function hipsSeatedDrop(vrm: VRM): number {
  return (vrm.scene.userData.hipsHeight as number) - 0.07;
}

function Chair() {
  const wood = "#7a5233";
  return (
    <group>
      <mesh position={[0, TABLE.seatHeight - 0.03, -0.05]} receiveShadow>
        <boxGeometry args={[0.46, 0.05, 0.44]} />
        <meshStandardMaterial color={wood} roughness={0.7} />
      </mesh>
      <mesh position={[0, 0.85, -0.26]}>
        <boxGeometry args={[0.46, 0.7, 0.04]} />
        <meshStandardMaterial color={wood} roughness={0.7} />
      </mesh>
      {[[-0.2, 0.15], [0.2, 0.15], [-0.2, -0.24], [0.2, -0.24]].map(([x, z]) => (
        <mesh key={`${x},${z}`} position={[x!, (TABLE.seatHeight - 0.05) / 2, z!]}>
          <cylinderGeometry args={[0.02, 0.02, TABLE.seatHeight - 0.05, 8]} />
          <meshStandardMaterial color={wood} roughness={0.7} />
        </mesh>
      ))}
    </group>
  );
}
