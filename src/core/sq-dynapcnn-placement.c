/* sq-dynapcnn-placement.c: what a DynapCNN / Speck layer needs of a core, and which core
 * takes which layer
 *
 * The memory formulas and limits are sinabs's (sinabs_qualia.md A.2): each memory rounds
 * its address fields up to powers of two, so a layer can need much more than its values.
 * A layer may go to any core whose kernel, neuron and bias memories all hold it; the cores
 * differ (0–2 have large neuron memories, 5–6 large kernel memories), so placing the layers
 * is a bipartite matching, solved with augmenting paths. When no placement exists, the last
 * failed search names a set of layers that together can use fewer cores than they are (a
 * Hall violator): that set, and those cores, are the reason given.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "synquant.h"

#define MAX_ADDRESS_BITS 18
#define MAX_PADDING      7

static guint
ceil_log2 (guint64 n)
{
  guint bits = 0;

  while (bits < 64 && ((guint64) 1 << bits) < n)
    bits++;
  return bits;
}

/* C · 2^k saturating: a hostile shape must not wrap to a small number that fits. */
static guint64
times_pow2 (guint64 c,
            guint   k)
{
  if (k >= 63 || (c > 0 && c > (G_MAXUINT64 >> k)))
    return G_MAXUINT64;
  return c << k;
}

void
sq_cnn_layer_memory (const SqCnnLayerShape *layer,
                     SqCnnMemory           *memory)
{
  guint64 taps = (guint64) layer->kernel_y * (guint64) layer->kernel_x;

  memory->kernel = times_pow2 (layer->in_channels,
                               ceil_log2 (taps) + ceil_log2 (layer->out_channels));
  memory->neuron = times_pow2 (layer->out_channels,
                               ceil_log2 (layer->out_y) + ceil_log2 (layer->out_x));
  memory->bias = layer->has_bias ? layer->out_channels : 0;
}

static gboolean
fits_core (const SqDeviceProfile *device,
           const SqCnnMemory     *m,
           guint                  core)
{
  return m->kernel <= device->kernel_memory[core] && m->neuron <= device->neuron_memory[core] &&
         m->bias <= device->bias_memory[core];
}

static gboolean
power_of_two_upto (guint v,
                   guint max)
{
  return v >= 1 && v <= max && (v & (v - 1)) == 0;
}

static void
add (GPtrArray  *problems,
     const char *format,
     ...) G_GNUC_PRINTF (2, 3);

static void
add (GPtrArray  *problems,
     const char *format,
     ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (problems, g_strdup_vprintf (format, args));
  va_end (args);
}

static void
check_limits (const SqDeviceProfile *device,
              const SqCnnLayerShape *l,
              guint                  i,
              GPtrArray             *problems)
{
  guint address_bits = ceil_log2 (l->out_x) + ceil_log2 (l->out_y) +
                       ceil_log2 (l->out_channels);

  if (l->kernel_y != l->kernel_x)
    add (problems, _("layer %u: the %zu × %zu kernel is not square: the chip takes square "
                     "kernels only"), i, l->kernel_y, l->kernel_x);
  else if (l->kernel_y > device->max_kernel_size)
    add (problems, _("layer %u: the %zu × %zu kernel is larger than %u × %u by %zu"), i,
         l->kernel_y, l->kernel_x, device->max_kernel_size, device->max_kernel_size,
         l->kernel_y - device->max_kernel_size);
  if (!power_of_two_upto (l->stride_y, 8) || !power_of_two_upto (l->stride_x, 8))
    add (problems, _("layer %u: stride %u × %u: the chip strides by 1, 2, 4 or 8"), i,
         l->stride_y, l->stride_x);
  if (l->pad_y > MAX_PADDING || l->pad_x > MAX_PADDING)
    add (problems, _("layer %u: padding %u × %u: the chip pads by at most %u"), i, l->pad_y,
         l->pad_x, MAX_PADDING);
  if (!power_of_two_upto (l->pool, 4))
    add (problems, _("layer %u: %u × %u pooling: the chip sum-pools 1 × 1, 2 × 2 or 4 × 4"), i,
         l->pool, l->pool);
  if (l->out_channels > device->max_features)
    add (problems, _("layer %u: %zu output features, more than %u by %zu"), i, l->out_channels,
         device->max_features, l->out_channels - device->max_features);
  if (l->n_destinations > device->max_fanout_cores)
    add (problems, _("layer %u: sends to %u destinations, more than %u"), i,
         l->n_destinations, device->max_fanout_cores);
  if (address_bits > MAX_ADDRESS_BITS)
    add (problems, _("layer %u: a neuron address of %zu × %zu × %zu needs %u bits, more than "
                     "%u"), i, l->out_channels, l->out_y, l->out_x, address_bits,
         MAX_ADDRESS_BITS);
}

/* "0, 1, 2" */
static char *
core_list (const gboolean *usable,
           guint           n)
{
  GString *s = g_string_new (NULL);

  for (guint c = 0; c < n; c++)
    if (usable[c])
      g_string_append_printf (s, "%s%u", s->len ? ", " : "", c);
  return g_string_free (s, FALSE);
}

/* Why layer @i fits no core: a memory larger than every core's, or two memories that no
 * single core has both of. */
static void
explain_no_core (const SqDeviceProfile *device,
                 const SqCnnMemory     *m,
                 guint                  i,
                 GPtrArray             *problems)
{
  const struct {
    const char  *what;
    guint64      need;
    const guint *have;
  } mem[3] = {
    { N_("kernel"), m->kernel, device->kernel_memory },
    { N_("neuron"), m->neuron, device->neuron_memory },
    { N_("bias"), m->bias, device->bias_memory },
  };
  GString *parts = g_string_new (NULL);

  for (guint k = 0; k < 3; k++)
    {
      guint64 most = 0;

      for (guint c = 0; c < device->n_cores; c++)
        most = MAX (most, mem[k].have[c]);
      if (mem[k].need > most)
        {
          g_autofree char *need = g_strdup_printf ("%" G_GUINT64_FORMAT, mem[k].need);
          g_autofree char *have = g_strdup_printf ("%" G_GUINT64_FORMAT, most);
          g_autofree char *over = g_strdup_printf ("%" G_GUINT64_FORMAT, mem[k].need - most);

          /* TRANSLATORS: the second %s is "kernel", "neuron" or "bias" */
          add (problems, _("layer %u fits no core: it needs %s %s memory entries, the most a "
                           "core has is %s (%s too many)"), i, need, _(mem[k].what), have,
               over);
          g_string_free (parts, TRUE);
          return;
        }
    }
  for (guint k = 0; k < 3; k++)
    {
      gboolean usable[9] = { FALSE, };
      g_autofree char *cores = NULL, *need = NULL;

      if (mem[k].need == 0)
        continue;
      for (guint c = 0; c < device->n_cores && c < 9; c++)
        usable[c] = mem[k].need <= mem[k].have[c];
      cores = core_list (usable, MIN (device->n_cores, 9));
      if (parts->len > 0)
        g_string_append (parts, "; ");
      need = g_strdup_printf ("%" G_GUINT64_FORMAT, mem[k].need);
      /* TRANSLATORS: "65536 kernel entries (cores 5, 6)" */
      g_string_append_printf (parts, _("%s %s entries (cores %s)"), need, _(mem[k].what),
                              cores);
    }
  add (problems, _("layer %u fits no core: no core has all of %s"), i, parts->str);
  g_string_free (parts, TRUE);
}

typedef struct {
  const SqDeviceProfile *device;
  const SqCnnMemory     *memory;
  guint                  n_layers;
  int                   *core_of;     /* layer → core */
  int                    layer_of[9]; /* core → layer */
  gboolean               seen_core[9];
  gboolean              *seen_layer;
} Match;

/* Kuhn's augmenting path from layer @i; marks what it visits. A free core that holds the
 * layer is taken first, so layers keep the order of the cores unless a later one needs a
 * core an earlier one took. */
static gboolean
augment (Match *m,
         guint  i)
{
  m->seen_layer[i] = TRUE;
  for (guint c = 0; c < m->device->n_cores; c++)
    if (m->layer_of[c] < 0 && fits_core (m->device, &m->memory[i], c))
      {
        m->seen_core[c] = TRUE;
        m->layer_of[c] = (int) i;
        m->core_of[i] = (int) c;
        return TRUE;
      }
  for (guint c = 0; c < m->device->n_cores; c++)
    {
      if (m->seen_core[c] || !fits_core (m->device, &m->memory[i], c))
        continue;
      m->seen_core[c] = TRUE;
      if (m->layer_of[c] < 0 || augment (m, (guint) m->layer_of[c]))
        {
          m->layer_of[c] = (int) i;
          m->core_of[i] = (int) c;
          return TRUE;
        }
    }
  return FALSE;
}

/**
 * sq_cnn_place:
 * @device: a profile with cores (@n_cores > 0)
 * @layers: (array length=n_layers): the network's layers in order
 *
 * Checks every layer against @device's limits and places the layers on its cores.
 *
 * Returns: (transfer full): the placement, with the reasons when there is none
 */
SqCnnPlacement *
sq_cnn_place (const SqDeviceProfile *device,
              const SqCnnLayerShape *layers,
              guint                  n_layers)
{
  SqCnnPlacement *p = g_new0 (SqCnnPlacement, 1);
  g_autofree gboolean *fits_some = g_new0 (gboolean, MAX (n_layers, 1));
  gboolean all_fit_some = TRUE;
  Match m = { 0, };

  g_return_val_if_fail (device != NULL && device->n_cores > 0 && device->n_cores <= 9, p);
  p->n_layers = n_layers;
  p->memory = g_new0 (SqCnnMemory, MAX (n_layers, 1));
  p->core = g_new (int, MAX (n_layers, 1));
  p->problems = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n_layers; i++)
    {
      p->core[i] = -1;
      sq_cnn_layer_memory (&layers[i], &p->memory[i]);
      check_limits (device, &layers[i], i, p->problems);
      for (guint c = 0; c < device->n_cores; c++)
        fits_some[i] = fits_some[i] || fits_core (device, &p->memory[i], c);
      if (!fits_some[i])
        {
          explain_no_core (device, &p->memory[i], i, p->problems);
          all_fit_some = FALSE;
        }
    }
  if (n_layers > device->n_cores)
    {
      add (p->problems, _("%u layers, but the chip has %u cores: one layer per core"),
           n_layers, device->n_cores);
      return p;
    }
  if (!all_fit_some)
    return p;

  m.device = device;
  m.memory = p->memory;
  m.n_layers = n_layers;
  m.core_of = p->core;
  m.seen_layer = g_new (gboolean, n_layers);
  for (guint c = 0; c < 9; c++)
    m.layer_of[c] = -1;
  for (guint i = 0; i < n_layers; i++)
    {
      memset (m.seen_core, 0, sizeof m.seen_core);
      memset (m.seen_layer, 0, n_layers * sizeof (gboolean));
      if (!augment (&m, i))
        {
          /* The layers this search reached can only use the cores it reached, all taken by
           * the others of them: one layer too many for those cores. */
          g_autofree char *cores = core_list (m.seen_core, device->n_cores);
          GString *names = g_string_new (NULL);

          for (guint j = 0; j < n_layers; j++)
            if (m.seen_layer[j])
              g_string_append_printf (names, "%s%u", names->len ? ", " : "", j);
          add (p->problems, _("no placement: layers %s can only use cores %s, one core too "
                              "few for them (their kernel, neuron or bias memory is too large "
                              "for the other cores)"), names->str, cores);
          g_string_free (names, TRUE);
          for (guint j = 0; j < n_layers; j++)
            p->core[j] = -1;
          break;
        }
    }
  g_free (m.seen_layer);
  return p;
}

gboolean
sq_cnn_placement_fits (const SqCnnPlacement *placement)
{
  return placement->problems->len == 0;
}

void
sq_cnn_placement_free (SqCnnPlacement *placement)
{
  if (placement == NULL)
    return;
  g_free (placement->memory);
  g_free (placement->core);
  g_ptr_array_unref (placement->problems);
  g_free (placement);
}
