import { formatShortDate } from "@/lib/utils";

export interface TrendPoint {
  id: string;
  date: string;
  score: number;
}

const WIDTH = 480;
const HEIGHT = 180;
const PAD = { top: 12, right: 28, bottom: 28, left: 32 };

/**
 * A hand-drawn SVG line chart (0–100 over time): no chart library in the
 * bundle. Screen readers get a table with the same numbers.
 */
export function TrendChart({ points, label, color = "#1d4ed8" }: { points: TrendPoint[]; label: string; color?: string }) {
  const sorted = [...points].sort((a, b) => Date.parse(a.date) - Date.parse(b.date));
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (index: number) => PAD.left + (sorted.length <= 1 ? innerW / 2 : (index / (sorted.length - 1)) * innerW);
  const y = (score: number) => PAD.top + innerH - (Math.max(0, Math.min(100, score)) / 100) * innerH;
  const path = sorted.map((point, index) => `${index === 0 ? "M" : "L"}${x(index).toFixed(1)},${y(point.score).toFixed(1)}`).join(" ");
  const labelEvery = Math.max(1, Math.ceil(sorted.length / 6));

  return (
    <figure className="flex flex-col gap-1">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} className="h-auto w-full" role="img" aria-label={`${label}: score trend over ${sorted.length} sessions`}>
        {[0, 25, 50, 75, 100].map((tick) => (
          <g key={tick}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} stroke="#cfd6e2" strokeDasharray={tick === 0 ? undefined : "3 4"} />
            <text x={PAD.left - 6} y={y(tick) + 4} textAnchor="end" fontSize="11" fill="#414b5c">
              {tick}
            </text>
          </g>
        ))}
        {sorted.length > 1 ? <path d={path} fill="none" stroke={color} strokeWidth="2.5" strokeLinejoin="round" /> : null}
        {sorted.map((point, index) => (
          <g key={point.id}>
            <circle cx={x(index)} cy={y(point.score)} r="4" fill="#fff" stroke={color} strokeWidth="2.5">
              <title>{`${formatShortDate(point.date)}: ${Math.round(point.score)}`}</title>
            </circle>
            {index % labelEvery === 0 || index === sorted.length - 1 ? (
              <text x={x(index)} y={HEIGHT - 8} textAnchor="middle" fontSize="11" fill="#414b5c">
                {formatShortDate(point.date)}
              </text>
            ) : null}
          </g>
        ))}
      </svg>
      <figcaption className="sr-only">
        <table>
          <caption>{label} scores</caption>
          <thead>
            <tr>
              <th scope="col">Date</th>
              <th scope="col">Score</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((point) => (
              <tr key={point.id}>
                <td>{formatShortDate(point.date)}</td>
                <td>{Math.round(point.score)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </figcaption>
    </figure>
  );
}
