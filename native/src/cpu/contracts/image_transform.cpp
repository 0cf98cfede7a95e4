#include "image_transform.h"

namespace tessera::contracts {

TransformGeom transform_geometry(const char* op, const KernelArgs& args, const View& image, const View& transforms,
                                 const View& output) {
  TK_CHECK(args.num_attrs() == 3, op << ": expected 3 attributes [interpolation, fill_mode, fill_value], got "
                                     << args.num_attrs());
  TK_CHECK(image.rank() == 4 && output.rank() == 4,
           op << ": expected NHWC images of rank 4, got ranks " << image.rank() << " and " << output.rank());
  TK_CHECK(image.dim(0) == output.dim(0) && image.dim(3) == output.dim(3),
           op << ": expected the same batch and channels in and out, got [" << image.dim(0) << ", " << image.dim(3)
              << "] and [" << output.dim(0) << ", " << output.dim(3) << "]");
  TK_CHECK(image.dtype() == output.dtype() && transforms.dtype() == image.dtype(),
           op << ": expected the images and transforms of one dtype, got " << dtype_name(image.dtype()) << ", "
              << dtype_name(output.dtype()) << " and " << dtype_name(transforms.dtype()));
  TK_CHECK(transforms.rank() == 2 && transforms.dim(1) == 8 &&
               (transforms.dim(0) == image.dim(0) || transforms.dim(0) == 1),
           op << ": expected transforms of shape [" << image.dim(0) << " or 1, 8], got rank " << transforms.rank());
  const int64_t interpolation = args.attr_int(0), fill_mode = args.attr_int(1);
  TK_CHECK(interpolation == kInterpolateNearest || interpolation == kInterpolateBilinear,
           op << ": expected interpolation 0 (nearest) or 1 (bilinear), got " << args.attr(0));
  TK_CHECK(fill_mode >= kFillConstant && fill_mode <= kFillNearest,
           op << ": expected fill_mode 0 (constant), 1 (reflect), 2 (wrap) or 3 (nearest), got " << args.attr(1));
  return TransformGeom{image.dim(0),
                       image.dim(1),
                       image.dim(2),
                       image.dim(3),
                       output.dim(1),
                       output.dim(2),
                       transforms.dim(0) == 1,
                       static_cast<int>(interpolation),
                       static_cast<int>(fill_mode),
                       args.attr(2)};
}

}  // namespace tessera::contracts
