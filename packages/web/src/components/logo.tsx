/**
 * @module components/logo
 * The product mark and name.
 */
export function Logo({ size = 26 }: { size?: number }) {
  return (
    <span className="brand">
      <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true">
        <rect width="32" height="32" rx="7" fill="#2563eb" />
        <path
          d="M6 20h5l3-9 4 14 3-8h5"
          fill="none"
          stroke="#fff"
          strokeWidth="2.6"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      </svg>
      netinsights
    </span>
  );
}
